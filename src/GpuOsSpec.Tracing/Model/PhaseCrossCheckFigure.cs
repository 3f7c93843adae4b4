namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// One count other than syscalls (voluntary or involuntary context switches, minor or major page faults) in one phase
/// path, counted two ways in the same run (<see cref="PhaseCrossCheck"/>): from the events full mode records, and from
/// the kernel's phase counter (gos_phase), which the default mode uses where the events are not recorded. Both are
/// summed over every run of the phase and every thread.
/// </summary>
/// <param name="Path">The phase path.</param>
/// <param name="Figure">"voluntarySwitches", "involuntarySwitches", "minorFaults" or "majorFaults".</param>
/// <param name="Full">Events whose time fell in one of the phase's runs (full mode's figure).</param>
/// <param name="Kernel">Counts the kernel took while one of the phase's runs was open.</param>
/// <param name="DifferingTids">The threads whose own figures differ (empty when every thread's agree): a row is equal
/// only when each thread's figure is.</param>
public sealed record PhaseCrossCheckFigure(string Path, string Figure, long Full, long Kernel, IReadOnlyList<int> DifferingTids)
{
    /// <summary>True when every thread's figure agrees (and so the sums do).</summary>
    public bool Equal => DifferingTids.Count == 0;
}
