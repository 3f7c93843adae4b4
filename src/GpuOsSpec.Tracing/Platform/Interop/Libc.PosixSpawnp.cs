using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    internal const short POSIX_SPAWN_SETSIGDEF = 0x04;
    internal const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>posix_spawnp(3): returns 0, or the error number (errno is not set).</summary>
    [LibraryImport(LibraryName, EntryPoint = "posix_spawnp")]
    internal static unsafe partial int PosixSpawnp(out int pid, byte* file, nint fileActions, byte* attributes, byte** argv, byte** envp);
}
