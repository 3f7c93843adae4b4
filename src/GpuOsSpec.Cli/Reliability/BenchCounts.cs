namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// What a traced variant's traces counted over its rounds, against the operations the storm made.
/// </summary>
/// <param name="Expected">Operations in one run.</param>
/// <param name="Rounds">Rounds counted.</param>
/// <param name="ExactRounds">Rounds whose trace counted exactly <paramref name="Expected"/>.</param>
/// <param name="Min">The smallest count of a round.</param>
/// <param name="Max">The largest.</param>
/// <param name="Lost">Events lost over all rounds.</param>
/// <param name="InconclusiveRounds">Rounds whose trace was inconclusive: a count there, right or short, proves
/// nothing.</param>
/// <param name="InconclusiveReason">The first such round's reason, or null.</param>
internal sealed record BenchCounts(long Expected, int Rounds, int ExactRounds, long Min, long Max, long Lost, int InconclusiveRounds = 0, string? InconclusiveReason = null)
{
    /// <summary>Every round counted exactly, lost nothing, and its trace was conclusive.</summary>
    internal bool Exact => ExactRounds == Rounds && Lost == 0 && InconclusiveRounds == 0;

    /// <summary>The counts of <paramref name="samples"/>, or null when they count nothing.</summary>
    internal static BenchCounts? Of(IReadOnlyList<BenchSample> samples, long expected)
    {
        if (samples.Count == 0 || samples.Any(s => s.Counted is null))
        {
            return null;
        }
        var counted = samples.Select(s => s.Counted!.Value).ToList();
        var inconclusive = samples.Where(s => s.Inconclusive is not null).ToList();
        return new BenchCounts(expected, samples.Count, counted.Count(c => c == expected), counted.Min(), counted.Max(), samples.Sum(s => s.Lost ?? 0),
            inconclusive.Count, inconclusive.FirstOrDefault()?.Inconclusive);
    }
}
