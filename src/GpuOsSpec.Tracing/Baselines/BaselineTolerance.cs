namespace GpuOsSpec.Tracing.Baselines;

/// <summary>
/// How much a figure may grow before it is a regression. Counts: a share of the largest recorded figure plus an
/// absolute slack per run. Page faults also get a slack over all of a scope's runs, since where the loader and the
/// allocator put a buffer moves from run to run (ASLR), and with it a page boundary or two. Times: the larger of a
/// share of the recorded median and the count share of the largest recorded time, plus a slack in nanoseconds per run,
/// since identical runs of a program differ in time far more than in counts.
/// </summary>
/// <param name="Relative">The share for counts, 0.10 for 10 %.</param>
/// <param name="Absolute">Counts per run on top: a
/// figure that was 0 may reach this, so the default 0.5 lets one new call per run through in no phase.</param>
/// <param name="TimeRelative">The share of the recorded median time a time may grow by, 0.5 for 50 %.</param>
/// <param name="TimeAbsoluteNs">Nanoseconds per run on top, for phases too short to time against scheduling
/// noise.</param>
/// <param name="FaultSlack">Page faults on top, over all of a scope's runs (8: a few pages that move
/// across a boundary).</param>
public sealed record BaselineTolerance(double Relative = 0.10, double Absolute = 0.5, double TimeRelative = 0.5, double TimeAbsoluteNs = 100_000, double FaultSlack = 8)
{
    /// <summary>The largest value <paramref name="entry"/> may grow to, in a scope that runs <paramref name="runs"/>
    /// times per run of the command.</summary>
    public double Limit(BaselineEntry entry, double runs = 1)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.IsTime
            ? Math.Max(entry.PerRun * (1 + TimeRelative), entry.Max * (1 + Relative)) + TimeAbsoluteNs
            : entry.Max * (1 + Relative) + Absolute + (entry.Kind == BaselineKind.PageFaults ? FaultSlack / Math.Max(1, runs) : 0);
    }

    /// <summary>The smallest value <paramref name="entry"/> may shrink to before the diff reports it (never a
    /// failure).</summary>
    public double Floor(BaselineEntry entry, double runs = 1)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.IsTime
            ? (entry.PerRun - TimeAbsoluteNs) / (1 + TimeRelative)
            : (entry.PerRun - Absolute - (entry.Kind == BaselineKind.PageFaults ? FaultSlack / Math.Max(1, runs) : 0)) / (1 + Relative);
    }

    /// <summary>Why the tolerance cannot be used, or null: every value must be a finite number of at least 0.</summary>
    public string? Problem() =>
        !double.IsFinite(Relative) || Relative < 0 ? $"the count tolerance must be a finite share of at least 0, not {Relative}"
        : !double.IsFinite(Absolute) || Absolute < 0 ? $"the count slack must be a finite count of at least 0, not {Absolute}"
        : !double.IsFinite(TimeRelative) || TimeRelative < 0 ? $"the time tolerance must be a finite share of at least 0, not {TimeRelative}"
        : !double.IsFinite(TimeAbsoluteNs) || TimeAbsoluteNs < 0 ? $"the time slack must be a finite duration of at least 0, not {TimeAbsoluteNs}"
        : !double.IsFinite(FaultSlack) || FaultSlack < 0 ? $"the fault slack must be a finite count of at least 0, not {FaultSlack}"
        : null;
}
