namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// A full-mode trace's per-phase figures held, within the same run, to those the kernel's phase counter (the default
/// mode's per-phase source) counted alongside (<c>gpuosspec trace --mode full --cross-check-phases</c>,
/// CaptureOptions.CrossCheckPhases). It compares the syscalls the default mode takes from the counter (those outside
/// its decode set, which it records per event as full mode does), and each phase's context switches and page faults
/// (<see cref="Figures"/>); on-CPU time is shown side by side (<see cref="OnCpu"/>), not held equal. The counter's
/// counts are kept here only, never added to the trace's figures.
/// </summary>
/// <param name="Rows">Per phase path and syscall, both figures; every syscall either way counted in a gpuos phase.
/// Empty when not <see cref="Compared"/>.</param>
/// <param name="Reason">Why nothing was compared (the counter did not run, lost counts or could not place them, full
/// mode lost events, the program opened no gpuos phase), or null when it was.</param>
public sealed record PhaseCrossCheck(IReadOnlyList<PhaseCrossCheckRow> Rows, string? Reason)
{
    /// <summary>The syscalls left out of the comparison: in the default mode they are recorded per event, as in full
    /// mode, not counted.</summary>
    public IReadOnlyList<string> PerEventInDefaultMode { get; init; } = [];

    /// <summary>The phase paths compared (each gpuos phase path of the trace); empty when not
    /// <see cref="Compared"/>.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Per phase path, voluntary and involuntary switches and minor and major faults both ways; empty when
    /// not <see cref="Compared"/>, and without the figures <see cref="FiguresNotCompared"/> names.</summary>
    public IReadOnlyList<PhaseCrossCheckFigure> Figures { get; init; } = [];

    /// <summary>Why a kind of figure was not compared although the syscalls were ("page faults: ..."); empty when every
    /// kind was.</summary>
    public IReadOnlyList<string> FiguresNotCompared { get; init; } = [];

    /// <summary>Per phase path, on-CPU time both ways, side by side (<see cref="PhaseCrossCheckTime"/> says why it is
    /// not held equal); empty when the switches were not compared.</summary>
    public IReadOnlyList<PhaseCrossCheckTime> OnCpu { get; init; } = [];

    /// <summary>True when the two ways were compared; false when <see cref="Reason"/> says why not.</summary>
    public bool Compared => Reason is null;

    /// <summary>The syscall rows whose figures differ.</summary>
    public IReadOnlyList<PhaseCrossCheckRow> Differences => Rows.Where(r => !r.Equal).ToList();

    /// <summary>The switch and fault figures that differ.</summary>
    public IReadOnlyList<PhaseCrossCheckFigure> FigureDifferences => Figures.Where(f => !f.Equal).ToList();

    /// <summary>True when compared and every syscall row and every switch and fault figure compared is equal; false
    /// when one differs or nothing was compared (never true on nothing). <see cref="FiguresNotCompared"/> says what was
    /// left out.</summary>
    public bool Equal => Compared && Rows.All(r => r.Equal) && Figures.All(f => f.Equal);
}
