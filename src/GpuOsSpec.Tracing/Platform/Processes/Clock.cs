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

    // Tries at the offset; the first pays for JIT-compiling both reads, the others only for being preempted.
    private const int OffsetSamples = 8;

    /// <summary>CLOCK_REALTIME minus CLOCK_MONOTONIC, to put strace and EventPipe stamps on the monotonic
    /// clock.</summary>
    public static long RealtimeToMonotonicNs() =>
        RealtimeToMonotonicNs(Libc.RealtimeNanoseconds, Libc.MonotonicNanoseconds);

    /// <summary>The offset from one real-time read bracketed by two monotonic reads, taking the narrowest bracket of
    /// a few: its middle is the monotonic instant of the real-time read to within half the bracket.</summary>
    /// <remarks>Two reads one after the other are apart by however long the second took to start: the first call of
    /// a read JIT-compiles it (over 100 us), and a preemption between them lasts a time slice. Every converted stamp
    /// moved that much later, so strace's last calls of a phase landed after its end (3 of 200 getppid in CI).
    /// </remarks>
    internal static long RealtimeToMonotonicNs(Func<long> realtime, Func<long> monotonic)
    {
        long narrowest = long.MaxValue;
        long offset = 0;
        for (int i = 0; i < OffsetSamples; i++)
        {
            long before = monotonic();
            long real = realtime();
            long after = monotonic();
            if (after - before < narrowest)
            {
                narrowest = after - before;
                offset = real - (before + (narrowest / 2));
            }
        }
        return offset;
    }
}
