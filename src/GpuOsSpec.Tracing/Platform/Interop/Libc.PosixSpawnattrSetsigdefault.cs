using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static unsafe partial int PosixSpawnattrSetsigdefault(byte* attributes, byte* signals);
}
