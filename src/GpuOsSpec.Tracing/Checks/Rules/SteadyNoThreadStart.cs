namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>A steady phase starts no thread or process.</summary>
public sealed class SteadyNoThreadStart : SteadyCountRule
{
    private static readonly string[] s_clones = ["clone", "clone3", "fork", "vfork"];

    /// <inheritdoc/>
    public override string Id => "steady-no-thread-start";

    /// <inheritdoc/>
    public override string Title => "A steady phase starts no thread";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypothesis \"Context creation starts runtime threads; the steady phase starts none\" (specs/Scheduling/ContextStartsRuntimeThreads.cs); " +
        "H200: the driver starts its threads at cuInit and per context (cuda0000..., cuda-EvtHandlr)";

    /// <inheritdoc/>
    protected override string What => "threads";

    /// <inheritdoc/>
    protected override string Verb => "start";

    /// <inheritdoc/>
    protected override (Measurement Count, string Evidence, IReadOnlyList<EvidenceItem> Items) Count(CheckScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var view = scope.View;
        if (view.Trace.Source == CaptureSourceKind.Perf)
        {
            // The perf source records when each thread was created (and by which): the same creations StartNoThreads
            // asserts on, in every judged run of the phase.
            var started = view.Trace.Threads.Where(t => t.CreatedAtNs is { } at && t.Origin != ThreadOrigin.Tracer
                && view.PhaseRuns.Any(r => r.Contains(at))
                && ((t.Origin & view.Origins) != 0 || (t.ParentTid is { } parent && view.Includes(parent, at)))).ToList();
            string shown = TraceEvidence.First(view, started, t => t.ParentTid ?? t.Tid, t => t.CreatedAtNs!.Value, t => $"tid {t.Tid} {t.Name} [{t.Origin}] started");
            var items = EvidenceItems.Events(scope, started, t => $"thread {t.Name}", t => t.ParentTid ?? t.Tid, t => t.CreatedAtNs!.Value);
            return (new Measurement(started.Count, CaptureNames.Of(view.Trace.Source)), shown, items);
        }
        // Other sources record no creation times: count the calls that start a thread or a process.
        long total = 0;
        foreach (string name in s_clones)
        {
            var calls = view.Calls(name);
            if (calls.Value is not { } n)
            {
                return (calls, "", []);
            }
            total += n;
        }
        var events = view.Syscalls.Where(s => s_clones.Contains(s.Name)).ToList();
        return (new Measurement(total, CaptureNames.Of(view.Trace.Source)), TraceEvidence.TopSyscalls(view, events), EvidenceItems.Syscalls(scope, events));
    }
}
