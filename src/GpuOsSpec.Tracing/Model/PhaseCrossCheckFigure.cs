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
    /// <summary>True when every thread's figure agrees (and so the sums do), but for <see cref="Unordered"/>.</summary>
    public bool Equal => DifferingTids.Count == 0;

    /// <summary>
    /// Events the two ways place on opposite sides of one of the phase's boundaries because the boundary fell between
    /// their own clock reads of that event: another thread's switch or fault at the moment its marker changed the open
    /// set, on another CPU. Each was paired with the kernel's record of the same count (witness mode), and the interval
    /// between the readings overlaps the interval in which the marker changed the set, so no clock orders them; the
    /// threads they are on are left out of <see cref="DifferingTids"/> only when every place that differs is such an
    /// event and both ways' sums are accounted for by them. 0 when none.
    /// </summary>
    public long Unordered { get; init; }

    /// <summary>The threads whose figures differ only by <see cref="Unordered"/> events.</summary>
    public IReadOnlyList<int> UnorderedTids { get; init; } = [];
}
