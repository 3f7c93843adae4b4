namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>What hybrid mode's phase counter read at the end of a capture.</summary>
/// <param name="Events">The ring buffer's records, in the order read.</param>
/// <param name="Cells">gos_sys, after the final flush.</param>
/// <param name="Lost">Counts or records lost (a full map, a full ring buffer, unreadable marker records, program runs
/// the kernel skipped).</param>
/// <param name="LossNotes">What each loss means, for the trace's notes.</param>
internal sealed record KernelPhaseCapture(List<KernelPhaseEvent> Events, List<KernelSyscallCell> Cells, long Lost, List<string> LossNotes)
{
    /// <summary>gos_phase: each thread's switches, faults and on-CPU time per open set; null when the counter did not
    /// count them (<see cref="ActivityUnavailable"/> says why), never an empty stand-in for "none".</summary>
    internal List<KernelActivityCell>? Activity { get; init; }

    /// <summary>Why <see cref="Activity"/> is null, or null when it was read.</summary>
    internal string? ActivityUnavailable { get; init; }
}
