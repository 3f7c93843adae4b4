namespace GpuOsSpec.Tracing.Checks;

/// <summary>
/// A rule over probed vendor API calls of one kind (launches, waits), in the steady phases' warm runs or the whole
/// run of a program without phases. Not applicable without --api (the calls are known only from the probes), nor to a
/// scope without such calls.
/// </summary>
public abstract class ApiCallRule : ICheckRule
{
    /// <inheritdoc/>
    public abstract string Id { get; }

    /// <inheritdoc/>
    public abstract string Title { get; }

    /// <inheritdoc/>
    public abstract string Basis { get; }

    /// <inheritdoc/>
    public abstract double DefaultThreshold { get; }

    /// <inheritdoc/>
    public abstract string Unit { get; }

    /// <inheritdoc/>
    public abstract CheckNeeds Needs { get; }

    /// <summary>The API functions judged, across vendors.</summary>
    protected abstract IReadOnlySet<string> Functions { get; }

    /// <summary>What the calls are, plural ("launches").</summary>
    protected abstract string Kind { get; }

    /// <summary>What a healthy scope does, for <paramref name="threshold"/>.</summary>
    protected abstract string Expectation(double threshold);

    /// <summary>The figure over <paramref name="calls"/> (finished calls of <see cref="Functions"/> in the scope, at
    /// least one).</summary>
    protected abstract ScopeFigure Measure(CheckScope scope, IReadOnlyList<ApiCall> calls, RuleSettings settings);

    /// <inheritdoc/>
    public RuleResult Evaluate(CheckContext context, RuleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (!context.Trace.ApiCallsRecorded)
        {
            return RuleResult.NotApplicable($"{Kind} are known from API probes, and this run probed none (run check with --api cuda, opencl, hip or all)") with { Limit = settings.Threshold };
        }
        var scopes = context.SteadyPhasesOrWholeRun(settings);
        if (scopes.Why is { } why)
        {
            return RuleResult.NotApplicable(why) with { Limit = settings.Threshold };
        }
        return RuleJudge.Across(scopes.Scopes, scope =>
        {
            var calls = scope.View.ApiCalls.Where(c => c.Finished && Functions.Contains(c.Name)).ToList();
            return calls.Count == 0
                ? ScopeFigure.Absent($"no probed {Kind} in {scope.View.Describe()} ({TraceEvidence.Joined(Functions.Order(StringComparer.Ordinal), 4)}, ...; probed: {TraceEvidence.Joined(context.Trace.ApiLibrariesProbed, 3)})")
                : Measure(scope, calls, settings);
        }, settings.Threshold, Expectation(settings.Threshold), Unit);
    }

    /// <summary>The syscalls made inside <paramref name="calls"/>: on the calling thread between entry and
    /// return.</summary>
    protected static List<SyscallEvent> SyscallsInside(CheckScope scope, IReadOnlyList<ApiCall> calls)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(calls);
        var byTid = calls.GroupBy(c => c.Tid).ToDictionary(g => g.Key, g => g.ToList());
        return scope.View.Trace.Syscalls.Where(s => byTid.TryGetValue(s.Tid, out var list) && list.Any(c => s.EnterNs >= c.StartNs && s.EnterNs < c.EndNs)).ToList();
    }
}
