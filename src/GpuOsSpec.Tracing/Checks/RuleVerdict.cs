namespace GpuOsSpec.Tracing.Checks;

/// <summary>What a rule, or a whole check, concluded about a trace.</summary>
public enum RuleVerdict
{
    /// <summary>The figure was measured and within the threshold.</summary>
    Passed,

    /// <summary>The figure was measured and past the threshold.</summary>
    Failed,

    /// <summary>
    /// The rule judges something the run does not have: no phases (for a rule about steady phases), no probed API
    /// calls (without --api), no launch or wait among them. Never a pass; JUnit shows it skipped.
    /// </summary>
    NotApplicable,

    /// <summary>The rule applies, but the capture could not measure its figure, or the trace proves nothing (events
    /// lost, the command failed). Never a pass.</summary>
    Inconclusive,
}
