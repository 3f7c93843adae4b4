namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>What hybrid mode's phase counter read at the end of a capture.</summary>
/// <param name="Events">The ring buffer's records, in the order read.</param>
/// <param name="Cells">gos_sys, after the final flush.</param>
/// <param name="Lost">Counts or records lost (a full map, a full ring buffer, unreadable marker records, program runs
/// the kernel skipped).</param>
/// <param name="LossNotes">What each loss means, for the trace's notes.</param>
internal sealed record KernelPhaseCapture(List<KernelPhaseEvent> Events, List<KernelSyscallCell> Cells, long Lost, List<string> LossNotes);
