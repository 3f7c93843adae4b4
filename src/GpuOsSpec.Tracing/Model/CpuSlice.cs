namespace GpuOsSpec.Tracing.Model;

/// <summary>A stretch of time a thread ran on a CPU, between arriving on it and leaving it.</summary>
/// <param name="Tid">The thread.</param>
/// <param name="StartNs">CLOCK_MONOTONIC nanoseconds it arrived (or the capture
/// started, when it was already running).</param>
/// <param name="EndNs">When it left (or exited, or the capture
/// ended).</param>
public readonly record struct CpuSlice(int Tid, long StartNs, long EndNs)
{
    /// <summary>
    /// True when the thread left its CPU still runnable (preempted, or yielding): until its next slice it waited for a
    /// CPU, not for an event of its own.
    /// </summary>
    public bool LeftRunnable { get; init; }

    /// <summary>The nanoseconds of this slice inside [<paramref name="fromNs"/>, <paramref name="toNs"/>).</summary>
    public long OverlapNs(long fromNs, long toNs) => Math.Max(0, Math.Min(EndNs, toNs) - Math.Max(StartNs, fromNs));
}
