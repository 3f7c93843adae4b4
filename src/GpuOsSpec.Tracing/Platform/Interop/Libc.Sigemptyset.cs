using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "sigemptyset")]
    internal static unsafe partial int Sigemptyset(byte* set);
}
