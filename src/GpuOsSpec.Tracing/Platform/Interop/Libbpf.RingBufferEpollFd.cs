using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>ring_buffer__epoll_fd: the epoll fd the reader waits on, readable when a record's commit woke it (a
    /// caller may poll it beside other fds).</summary>
    [LibraryImport(LibraryName, EntryPoint = "ring_buffer__epoll_fd")]
    internal static partial int RingBufferEpollFd(nint ringBuffer);
}
