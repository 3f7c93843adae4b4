namespace GpuOsSpec.Tracing.Checks;

/// <summary>
/// A rule about steady phases: a count per warm run of each steady phase, held to the threshold. Not applicable to a
/// program that marks no phases (its whole run holds start-up, which opens files, maps memory and starts threads).
/// Derive from it for a rule of your own that counts something per steady step.
/// </summary>
public abstract class SteadyCountRule : ICheckRule
{
    /// <inheritdoc/>
    public abstract string Id { get; }

    /// <inheritdoc/>
    public abstract string Title { get; }

    /// <inheritdoc/>
    public abstract string Basis { get; }

    /// <inheritdoc/>
    public virtual double DefaultThreshold => 0;

    /// <inheritdoc/>
    public virtual string Unit => $"{What} per warm run of a steady phase";

    /// <inheritdoc/>
    public virtual CheckNeeds Needs => CheckNeeds.Syscalls;

    /// <summary>What is counted, plural ("ioctls", "page faults").</summary>
    protected abstract string What { get; }

    /// <summary>The verb of the expectation: "make" (no ioctls), "start" (no threads), "take" (page faults).</summary>
    protected virtual string Verb => "make";

    /// <summary>The count in one scope (its warm runs), not measured with the reason where the capture could not see
    /// it, and the evidence in words and as data.</summary>
    protected abstract (Measurement Count, string Evidence, IReadOnlyList<EvidenceItem> Items) Count(CheckScope scope);

    /// <inheritdoc/>
    public RuleResult Evaluate(CheckContext context, RuleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var steady = context.SteadyPhases(settings);
        if (steady.Why is { } why)
        {
            return RuleResult.NotApplicable(why) with { Limit = settings.Threshold };
        }
        string expectation = settings.Threshold == 0 ? $"to {Verb} no {What}" : $"to {Verb} at most {RuleJudge.Number(settings.Threshold)} {What} per warm run";
        return RuleJudge.Across(steady.Scopes, scope =>
        {
            var (count, evidence, items) = Count(scope);
            if (count.Value is not { } n)
            {
                return ScopeFigure.NotMeasured(count.Source);
            }
            double perRun = (double)n / scope.WarmRuns;
            return ScopeFigure.Measured(perRun, $"{n:N0} in {scope.WarmRuns} warm run(s), {RuleJudge.Number(perRun)} per run", evidence, items);
        }, settings.Threshold, expectation, Unit);
    }
}
