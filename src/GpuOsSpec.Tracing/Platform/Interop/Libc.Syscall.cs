using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    /// <summary>perf_event_open(2), which has no libc wrapper, through syscall(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SyscallPerfEventOpen(long number, PerfEventAttr* attr, int pid, int cpu, int groupFd, ulong flags);

    /// <summary>Opens one perf event; returns the fd or -1 with errno set.</summary>
    internal static unsafe int PerfEventOpen(ref PerfEventAttr attr, int pid, int cpu, int groupFd, ulong flags)
    {
        long number = SyscallTable.Current.Number("perf_event_open") ?? throw new PlatformNotSupportedException("This architecture has no perf_event_open syscall in the tables.");
        fixed (PerfEventAttr* p = &attr)
        {
            return (int)SyscallPerfEventOpen(number, p, pid, cpu, groupFd, flags);
        }
    }
}
