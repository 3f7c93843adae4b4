namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// What the rounds gave one variant: a sample per round, or the reason it was not run. A variant that failed in any
/// round keeps none of its samples: its figures are not measured, never a median of the rounds that happened to work.
/// </summary>
internal sealed class BenchOutcome(BenchGroup group, BenchVariant variant)
{
    private readonly List<BenchSample> _samples = [];

    internal BenchGroup Group => group;

    internal BenchVariant Variant => variant;

    /// <summary>One sample per round, in round order; empty when not run.</summary>
    internal IReadOnlyList<BenchSample> Samples => _samples;

    /// <summary>Why the variant has no figures, or null when it ran in every round.</summary>
    internal string? NotRun { get; private set; } = variant.NotRun;

    internal void Add(BenchSample sample) => _samples.Add(sample);

    internal void Fail(string reason)
    {
        NotRun = reason;
        _samples.Clear();
    }
}
