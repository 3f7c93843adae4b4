namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>
/// Waits park rather than spin past a limit: no wait keeps its thread on a CPU longer than the threshold (with --api;
/// on-CPU time from the perf source's switch records). A wait that is meant to spin (a spin sync mode) breaks it by
/// design: set its threshold, or turn it off, in the rules file.
/// </summary>
public sealed class WaitsPark : ApiCallRule
{
    /// <inheritdoc/>
    public override string Id => "waits-park";

    /// <inheritdoc/>
    public override string Title => "Waits park rather than spin past a limit";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypothesis \"Blocking sync parks the waiting thread; spin sync never does\" (specs/Synchronization/SpinNeverParksBlockingDoes.cs); " +
        "H200: NVIDIA's OpenCL spins in clWaitForEvents, and CUDA's auto mode spins where cores outnumber GPUs (docs/evaluation-h200.md)";

    /// <inheritdoc/>
    public override double DefaultThreshold => 2;

    /// <inheritdoc/>
    public override string Unit => "ms on a CPU in one wait";

    /// <inheritdoc/>
    public override CheckNeeds Needs => CheckNeeds.ApiCalls | CheckNeeds.OnCpu;

    /// <inheritdoc/>
    protected override IReadOnlySet<string> Functions => SyscallsPerWait.Waits;

    /// <inheritdoc/>
    protected override string Kind => "waits";

    /// <inheritdoc/>
    protected override string Expectation(double threshold) => $"to keep no waiting thread on a CPU more than {RuleJudge.Number(threshold)} ms in one wait";

    /// <inheritdoc/>
    protected override ScopeFigure Measure(CheckScope scope, IReadOnlyList<ApiCall> calls, RuleSettings settings)
    {
        var trace = scope.View.Trace;
        if (!trace.OnCpuRecorded)
        {
            return ScopeFigure.NotMeasured($"on-CPU time needs every thread's arrival on and departure from its CPU, which the {CaptureNames.Of(trace.Source)} source does not record (trace with perf)");
        }
        var waits = calls.Select(c => (Call: c, OnCpuMs: trace.OnCpuOf(c.Tid).Sum(s => s.OverlapNs(c.StartNs, c.EndNs)) / 1e6))
            .OrderByDescending(w => w.OnCpuMs).ToList();
        var top = waits[0];
        var over = waits.Where(w => w.OnCpuMs > settings.Threshold).ToList();
        // A wait's syscalls are shown only where each call holds all of them (not joined from samples in hybrid mode).
        bool whole = trace.ApiSyscallsUnmeasured is null;
        string shown = TraceEvidence.Joined(waits.Take(3).Select(w =>
            $"{w.Call.Name} of {RuleJudge.Number(w.Call.DurationNs!.Value / 1e6)} ms with {RuleJudge.Number(w.OnCpuMs)} ms on a CPU, {w.Call.VoluntarySwitches} voluntary switch(es){(whole ? $" and {w.Call.Syscalls} syscall(s)" : "")}, at {TraceEvidence.Offset(scope.View, w.Call.StartNs)} ({TraceEvidence.Thread(trace, w.Call.Tid)})"), 3);
        var items = EvidenceItems.Events(scope, over.Count > 0 ? over : waits.Take(1), w => w.Call.Name, w => w.Call.Tid, w => w.Call.StartNs);
        return ScopeFigure.Measured(top.OnCpuMs, $"{RuleJudge.Number(top.OnCpuMs)} ms on a CPU in one wait ({over.Count:N0} of {waits.Count:N0} waits above {RuleJudge.Number(settings.Threshold)} ms)", shown, items);
    }
}
