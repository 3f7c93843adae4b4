using System.Diagnostics;

namespace GpuOsSpec.Tracing.Platform.Processes;

/// <summary>CLOCK_MONOTONIC in nanoseconds, the clock perf samples are stamped with; read without a syscall
/// (vDSO).</summary>
public static class Clock
{
    private static readonly double s_toNs = 1_000_000_000.0 / Stopwatch.Frequency;

    /// <summary>Now, in CLOCK_MONOTONIC nanoseconds.</summary>
    public static long NowNs() => Stopwatch.Frequency == 1_000_000_000 ? Stopwatch.GetTimestamp() : (long)(Stopwatch.GetTimestamp() * s_toNs);

    /// <summary>CPU time of the calling thread, in nanoseconds. This is a real syscall (no vDSO): call it outside
    /// phases.</summary>
    public static long ThreadCpuNs() => Libc.ThreadCpuNanoseconds();

    /// <summary>CLOCK_REALTIME minus CLOCK_MONOTONIC, to put strace and EventPipe stamps on the monotonic
    /// clock.</summary>
    public static long RealtimeToMonotonicNs() => Libc.RealtimeNanoseconds() - Libc.MonotonicNanoseconds();
}
