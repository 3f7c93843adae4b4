using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static unsafe partial int PosixSpawnattrSetsigmask(byte* attributes, byte* signals);
}
