namespace GpuOsSpec.Tracing.Checks;

/// <summary>One rule of a check, how it ran, and its verdict.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Settings">Its threshold, phases and parameters.</param>
/// <param name="Result">Its verdict with the evidence.</param>
public sealed record RuleOutcome(ICheckRule Rule, RuleSettings Settings, RuleResult Result);
