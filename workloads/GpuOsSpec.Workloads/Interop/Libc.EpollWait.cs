using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class Libc
{
    /// <summary>epoll_wait(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static unsafe partial int EpollWait(int epfd, EpollEvent* events, int maxEvents, int timeoutMs);
}
