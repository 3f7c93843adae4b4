namespace GpuOsSpec.Tracing.Checks;

/// <summary>Runs rules over a trace and decides the check: passed only when every verdict was measured, and never on a
/// run that proves nothing.</summary>
public static class CheckRun
{
    /// <summary>
    /// Judges <paramref name="trace"/> by each enabled rule. The check fails when a rule fails; it is inconclusive when
    /// the trace is (events lost, a positive control missed, the capture incomplete), when the traced command failed,
    /// when a rule could not be judged, or when no rule applied; else it passes. On an inconclusive trace or a failed
    /// command, no rule passes: a rule that would have is inconclusive, with the reason.
    /// </summary>
    public static CheckReport Evaluate(Trace trace, IEnumerable<(ICheckRule Rule, RuleSettings Settings)> rules)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(rules);
        var context = new CheckContext(trace);
        string? runReason = trace.InconclusiveReason is { } inconclusive ? $"the trace is inconclusive: {inconclusive}"
            : trace.ExitCode is { } code and not 0 ? $"the command {(trace.Signal is { } s ? $"was killed by signal {s}" : $"exited with {code}")}, so the run shows no healthy program"
            : null;
        var outcomes = new List<RuleOutcome>();
        foreach (var (rule, settings) in rules.Where(r => r.Settings.Enabled))
        {
            RuleResult result;
            try
            {
                result = rule.Evaluate(context, settings);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                result = RuleResult.Inconclusive($"the rule could not judge the trace: {ex.GetType().Name}: {ex.Message}");
            }
            if (runReason is not null && result.Verdict == RuleVerdict.Passed)
            {
                result = RuleResult.Inconclusive($"{runReason} (the rule alone would have passed: {result.Message})") with { Figure = result.Figure, Limit = result.Limit, Scope = result.Scope };
            }
            outcomes.Add(new RuleOutcome(rule, settings, result));
        }
        if (runReason is not null)
        {
            return new CheckReport(outcomes, RuleVerdict.Inconclusive, runReason);
        }
        if (outcomes.Any(o => o.Result.Verdict == RuleVerdict.Failed))
        {
            return new CheckReport(outcomes, RuleVerdict.Failed, null);
        }
        if (outcomes.FirstOrDefault(o => o.Result.Verdict == RuleVerdict.Inconclusive) is { } unjudged)
        {
            return new CheckReport(outcomes, RuleVerdict.Inconclusive, $"rule {unjudged.Rule.Id} could not be judged: {unjudged.Result.Message}");
        }
        return outcomes.Any(o => o.Result.Verdict == RuleVerdict.Passed)
            ? new CheckReport(outcomes, RuleVerdict.Passed, null)
            : new CheckReport(outcomes, RuleVerdict.Inconclusive, "no rule applied to this run, so it was judged by none");
    }
}
