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
internal sealed record BenchCounts(long Expected, int Rounds, int ExactRounds, long Min, long Max, long Lost)
{
    /// <summary>Every round counted exactly and lost nothing.</summary>
    internal bool Exact => ExactRounds == Rounds && Lost == 0;

    /// <summary>The counts of <paramref name="samples"/>, or null when they count nothing.</summary>
    internal static BenchCounts? Of(IReadOnlyList<BenchSample> samples, long expected)
    {
        if (samples.Count == 0 || samples.Any(s => s.Counted is null))
        {
            return null;
        }
        var counted = samples.Select(s => s.Counted!.Value).ToList();
        return new BenchCounts(expected, samples.Count, counted.Count(c => c == expected), counted.Min(), counted.Max(), samples.Sum(s => s.Lost ?? 0));
    }
}
