namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// A full-mode trace's per-phase syscall figures held, within the same run, to those the kernel's phase counter (the
/// default mode's per-phase source) counted alongside (<c>gpuosspec trace --mode full --cross-check-phases</c>,
/// CaptureOptions.CrossCheckPhases). It compares the syscalls the default mode takes from the counter: those outside
/// its decode set, which it records per event as full mode does. The counter's counts are kept here only, never added
/// to the trace's figures.
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

    /// <summary>True when the two ways were compared; false when <see cref="Reason"/> says why not.</summary>
    public bool Compared => Reason is null;

    /// <summary>The rows whose figures differ.</summary>
    public IReadOnlyList<PhaseCrossCheckRow> Differences => Rows.Where(r => !r.Equal).ToList();

    /// <summary>True when compared and every row is equal; false when a row differs or nothing was compared (never
    /// true on nothing).</summary>
    public bool Equal => Compared && Rows.All(r => r.Equal);
}
