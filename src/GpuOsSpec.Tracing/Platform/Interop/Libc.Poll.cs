using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    internal const short POLLIN = 1;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(LibraryName, EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);
}
