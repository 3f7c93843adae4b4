namespace GpuOsSpec.Tracing.Checks;

/// <summary>Every enabled rule's verdict about one traced run, and the check's.</summary>
/// <param name="Rules">Each rule's outcome, in the order they ran.</param>
/// <param name="Verdict">Passed, failed or inconclusive (never not applicable).</param>
/// <param name="Reason">Why the check is inconclusive, or null.</param>
public sealed record CheckReport(IReadOnlyList<RuleOutcome> Rules, RuleVerdict Verdict, string? Reason)
{
    /// <summary>How many rules reached <paramref name="verdict"/>.</summary>
    public int Count(RuleVerdict verdict) => Rules.Count(r => r.Result.Verdict == verdict);
}
