namespace GpuOsSpec.Tracing.Checks;

/// <summary>
/// A storm rule: no thread has more than the threshold of some event per millisecond, counted in the densest window
/// of <c>windowMs</c> (10 ms by default) on each thread, over the steady phases' warm runs, or the whole run of a
/// program without phases. A window, not the scope's average, so a storm of a few milliseconds in a long run is caught,
/// and a fixed one, so two events in a 50-microsecond phase are no storm.
/// </summary>
public abstract class ThreadRateRule : ICheckRule
{
    /// <summary>The window's length.</summary>
    public static RuleParameter Window { get; } = new("windowMs", 10, "the length of the window the rate is counted in, in milliseconds");

    /// <inheritdoc/>
    public abstract string Id { get; }

    /// <inheritdoc/>
    public abstract string Title { get; }

    /// <inheritdoc/>
    public abstract string Basis { get; }

    /// <inheritdoc/>
    public abstract double DefaultThreshold { get; }

    /// <inheritdoc/>
    public string Unit => $"{What} per ms on one thread";

    /// <inheritdoc/>
    public abstract CheckNeeds Needs { get; }

    /// <inheritdoc/>
    public IReadOnlyList<RuleParameter> Parameters => [Window];

    /// <summary>What is counted, plural ("sched_yield calls").</summary>
    protected abstract string What { get; }

    /// <summary>The events of one scope as (thread, time), or not measured with the reason.</summary>
    protected abstract (IReadOnlyList<(int Tid, long TimeNs)>? Events, string? Unmeasured) Events(CheckScope scope);

    /// <inheritdoc/>
    public RuleResult Evaluate(CheckContext context, RuleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        double windowMs = settings.Parameter(Window);
        if (!(windowMs > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), windowMs, "windowMs must be above 0.");
        }
        var scopes = context.SteadyPhasesOrWholeRun(settings);
        if (scopes.Why is { } why)
        {
            return RuleResult.NotApplicable(why) with { Limit = settings.Threshold };
        }
        long windowNs = (long)(windowMs * 1e6);
        string expectation = $"to have at most {RuleJudge.Number(settings.Threshold)} {What} per ms on any thread (in any {RuleJudge.Number(windowMs)} ms)";
        return RuleJudge.Across(scopes.Scopes, scope =>
        {
            var (events, unmeasured) = Events(scope);
            if (events is null)
            {
                return ScopeFigure.NotMeasured(unmeasured!);
            }
            var perThread = events.GroupBy(e => e.Tid).Select(g => (Tid: g.Key, Times: g.Select(e => e.TimeNs).Order().ToArray()))
                .Select(t => (t.Tid, t.Times, Densest: Densest(t.Times, windowNs))).OrderByDescending(t => t.Densest.Count).ToList();
            if (perThread.Count == 0)
            {
                return ScopeFigure.Measured(0, "none", "none", []);
            }
            var top = perThread[0];
            double rate = top.Densest.Count / windowMs;
            string shown = TraceEvidence.Joined(perThread.Take(3).Select(t =>
                $"{TraceEvidence.Thread(scope.View.Trace, t.Tid)}: {t.Densest.Count:N0} in the {RuleJudge.Number(windowMs)} ms from {TraceEvidence.Offset(scope.View, t.Densest.StartNs)} ({t.Times.Length:N0} in all, the first at {TraceEvidence.Offset(scope.View, t.Times[0])})"), 3);
            var items = perThread.Take(5).Select(t => EvidenceItems.Item(scope, What, t.Times.Length, t.Tid, t.Times[0])).ToList();
            return ScopeFigure.Measured(rate, $"{RuleJudge.Number(rate)} per ms", shown, items);
        }, settings.Threshold, expectation, Unit);
    }

    // The most events in any window [t, t + window) that starts at an event, with that start.
    private static (int Count, long StartNs) Densest(long[] times, long windowNs)
    {
        int best = 0;
        long start = times.Length > 0 ? times[0] : 0;
        int j = 0;
        for (int i = 0; i < times.Length; i++)
        {
            while (j < times.Length && times[j] - times[i] < windowNs)
            {
                j++;
            }
            if (j - i > best)
            {
                (best, start) = (j - i, times[i]);
            }
        }
        return (best, start);
    }
}
