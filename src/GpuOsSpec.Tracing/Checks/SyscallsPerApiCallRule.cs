namespace GpuOsSpec.Tracing.Checks;

/// <summary>
/// A rule on the syscalls a kind of probed API call makes (launches, waits): the figure is their mean per call over the
/// scope's calls, judged against an upper bound; the evidence is the top syscalls inside the calls and the worst calls.
/// It needs every syscall inside each call: counted in the kernel with the call (--api where eBPF loads), or every
/// syscall an event (full mode), since hybrid mode's events alone miss the syscalls outside its decode set.
/// </summary>
public abstract class SyscallsPerApiCallRule : ApiCallRule
{
    /// <inheritdoc/>
    public override string Unit => $"syscalls per {Noun}";

    /// <inheritdoc/>
    public override CheckNeeds Needs => CheckNeeds.ApiCalls | CheckNeeds.ApiCallSyscalls;

    /// <summary>One call of the kind, in words: "launch", "wait".</summary>
    protected abstract string Noun { get; }

    /// <inheritdoc/>
    protected override string Expectation(double threshold) => $"to make at most {RuleJudge.Number(threshold)} syscalls per {Noun}";

    /// <summary>The calls the evidence may show as the worst (before they are ordered by their syscalls).</summary>
    protected virtual IEnumerable<ApiCall> WorstCandidates(IReadOnlyList<ApiCall> calls) => calls;

    /// <summary>One of the worst calls, in words, without its place and thread (added after it).</summary>
    protected abstract string Describe(ApiCall call);

    /// <inheritdoc/>
    protected override ScopeFigure Measure(CheckScope scope, IReadOnlyList<ApiCall> calls, RuleSettings settings)
    {
        var trace = scope.View.Trace;
        if (trace.ApiSyscallsUnmeasured is { } why)
        {
            return ScopeFigure.NotMeasured(why);
        }
        long syscalls = calls.Sum(c => (long)c.Syscalls);
        double perCall = (double)syscalls / calls.Count;
        var inside = SyscallsInside(scope, calls);
        string worst = TraceEvidence.Joined(WorstCandidates(calls).OrderByDescending(c => c.Syscalls).Take(3)
            .Select(c => $"{Describe(c)} at {TraceEvidence.Offset(scope.View, c.StartNs)} ({TraceEvidence.Thread(scope.View.Trace, c.Tid)})"), 3);
        // The figure is the calls' own counts; the names come from the syscalls recorded as events, which in hybrid
        // mode are the decode set's only (the kernel counted the rest inside each call, without a name).
        long named = inside.Count;
        string top = trace.Mode == CaptureMode.Hybrid
            ? $"{TraceEvidence.TopSyscalls(scope.View, inside, withCounted: false)}{(syscalls > named ? $" and {syscalls - named:N0} outside hybrid mode's decode set, counted in the kernel without a name (--mode full names them)" : "")}"
            : TraceEvidence.TopSyscalls(scope.View, inside);
        return ScopeFigure.Measured(perCall, $"{RuleJudge.Number(perCall)} per {Noun} ({syscalls:N0} in {calls.Count:N0} {Kind})",
            $"{top}; the worst: {worst}", EvidenceItems.Syscalls(scope, inside));
    }
}
