using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class Libc
{
    /// <summary>epoll_create1(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);
}
