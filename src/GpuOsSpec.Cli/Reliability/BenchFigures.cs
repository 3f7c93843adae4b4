namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// One variant's figures: its median time with an interval, and against the reference (untraced) of the same rounds,
/// the ratio and the added cost per operation, each the median of the rounds' own figures, with an interval. A figure
/// that was not measured is null with <see cref="NotRun"/> or <see cref="NotCompared"/> saying why; never 0.
/// </summary>
/// <param name="Outcome">The variant's samples.</param>
/// <param name="TimeMs">Median milliseconds of a run, with its interval; null when not run.</param>
/// <param name="PerOperationUs">Microseconds per operation at the median time; null when not run.</param>
/// <param name="Ratio">The rounds' time over the reference's time; null when not compared.</param>
/// <param name="AddedUs">The rounds' added microseconds per operation over the reference; null when not
/// compared.</param>
/// <param name="Counts">What the traces counted; null for a variant that counts nothing or was not run.</param>
internal sealed record BenchFigures(BenchOutcome Outcome, MedianInterval? TimeMs, double? PerOperationUs, MedianInterval? Ratio, MedianInterval? AddedUs, BenchCounts? Counts)
{
    /// <summary>Why the variant has no figures, or null.</summary>
    internal string? NotRun => Outcome.NotRun;

    /// <summary>Why it has a time but no ratio (the reference was not measured), or null.</summary>
    internal string? NotCompared { get; init; }

    /// <summary>The figures of <paramref name="outcome"/> against <paramref name="reference"/>, round by
    /// round.</summary>
    internal static BenchFigures Of(BenchOutcome outcome, BenchOutcome reference)
    {
        if (outcome.NotRun is not null)
        {
            return new BenchFigures(outcome, null, null, null, null, null);
        }
        var ms = outcome.Samples.Select(s => s.Ms).ToList();
        var time = MedianInterval.Of(ms);
        long operations = outcome.Group.Operations;
        double perOperation = time.Median * 1000 / operations;
        var counts = BenchCounts.Of(outcome.Samples, operations);
        if (reference.NotRun is not null)
        {
            return new BenchFigures(outcome, time, perOperation, null, null, counts)
            {
                NotCompared = $"the reference ({reference.Variant.Label}) was not run: {reference.NotRun}",
            };
        }
        var baseline = reference.Samples.Select(s => s.Ms).ToList();
        if (baseline.Any(b => b <= 0))
        {
            // A storm too short to time: startup's noise swallows it, and a ratio to 0 or less means nothing.
            return new BenchFigures(outcome, time, perOperation, null, null, counts)
            {
                NotCompared = $"the reference ({reference.Variant.Label}) took no measurable time in some round: too few operations to time",
            };
        }
        var ratios = ms.Zip(baseline, (t, b) => t / b).ToList();
        var added = ms.Zip(baseline, (t, b) => (t - b) * 1000 / operations).ToList();
        return new BenchFigures(outcome, time, perOperation, MedianInterval.Of(ratios), MedianInterval.Of(added), counts);
    }

    /// <summary>The figures of every outcome, each against its group's reference.</summary>
    internal static IReadOnlyList<BenchFigures> Of(IReadOnlyList<BenchOutcome> outcomes) =>
        outcomes.Select(o => Of(o, outcomes.First(r => ReferenceEquals(r.Group, o.Group) && ReferenceEquals(r.Variant, o.Group.Reference)))).ToList();
}
