using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "posix_spawnattr_setflags")]
    internal static unsafe partial int PosixSpawnattrSetflags(byte* attributes, short flags);
}
