using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    /// <summary>Room for a posix_spawnattr_t (336 bytes in glibc on x86_64 and aarch64), with margin.</summary>
    internal const int PosixSpawnattrSize = 512;

    [LibraryImport(LibraryName, EntryPoint = "posix_spawnattr_init")]
    internal static unsafe partial int PosixSpawnattrInit(byte* attributes);
}
