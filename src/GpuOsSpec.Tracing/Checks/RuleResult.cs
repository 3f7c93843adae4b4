namespace GpuOsSpec.Tracing.Checks;

/// <summary>A rule's verdict about a trace, with what it measured and the evidence.</summary>
/// <param name="Verdict">Passed, failed, not applicable or inconclusive.</param>
/// <param name="Message">The verdict in words: for a failure "Expected ... to ..., but found ...: evidence.", else
/// the figure or the reason.</param>
public sealed record RuleResult(RuleVerdict Verdict, string Message)
{
    /// <summary>Where the verdict was decided: the phase path with the largest figure, or "(whole run)".</summary>
    public string? Scope { get; init; }

    /// <summary>The largest figure measured, in the rule's unit; null when none was.</summary>
    public double? Figure { get; init; }

    /// <summary>The threshold the figure was held to.</summary>
    public double? Limit { get; init; }

    /// <summary>The top contributors, each with its first occurrence and thread.</summary>
    public IReadOnlyList<EvidenceItem> Evidence { get; init; } = [];

    /// <summary>A rule whose premise the run lacks, with the reason.</summary>
    public static RuleResult NotApplicable(string why) => new(RuleVerdict.NotApplicable, why);

    /// <summary>A rule that applies but could not be judged, with the reason.</summary>
    public static RuleResult Inconclusive(string why) => new(RuleVerdict.Inconclusive, why);
}
