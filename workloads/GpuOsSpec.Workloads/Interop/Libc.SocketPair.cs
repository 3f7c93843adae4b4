using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class Libc
{
    /// <summary>socketpair(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "socketpair", SetLastError = true)]
    internal static unsafe partial int SocketPair(int domain, int type, int protocol, int* fds);
}
