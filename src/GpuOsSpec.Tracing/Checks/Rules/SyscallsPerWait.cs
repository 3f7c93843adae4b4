namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>A wait costs a few syscalls however long it lasts: it parks once, or spins without the OS (with
/// --api).</summary>
public sealed class SyscallsPerWait : ApiCallRule
{
    /// <summary>The API calls that wait for the device.</summary>
    internal static readonly HashSet<string> Waits = new(StringComparer.Ordinal)
    {
        "cuCtxSynchronize", "cuStreamSynchronize", "cuEventSynchronize",
        "clFinish", "clWaitForEvents",
        "hipDeviceSynchronize", "hipStreamSynchronize", "hipEventSynchronize",
    };

    /// <inheritdoc/>
    public override string Id => "syscalls-per-wait";

    /// <inheritdoc/>
    public override string Title => "A wait costs a few syscalls, however long it lasts";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypothesis \"A blocking wait costs the same syscalls however long the kernel runs\" (specs/Synchronization/BlockingWaitCostIsFlat.cs); " +
        "H200: blocking sync parks on futex/poll at about 3 context switches per launch and sync, while yield sync makes about 1,600 syscalls per ms of wait";

    /// <inheritdoc/>
    public override double DefaultThreshold => 16;

    /// <inheritdoc/>
    public override string Unit => "syscalls per wait";

    /// <inheritdoc/>
    public override CheckNeeds Needs => CheckNeeds.ApiCalls | CheckNeeds.EverySyscall;

    /// <inheritdoc/>
    protected override IReadOnlySet<string> Functions => Waits;

    /// <inheritdoc/>
    protected override string Kind => "waits";

    /// <inheritdoc/>
    protected override string Expectation(double threshold) => $"to make at most {RuleJudge.Number(threshold)} syscalls per wait";

    /// <inheritdoc/>
    protected override ScopeFigure Measure(CheckScope scope, IReadOnlyList<ApiCall> calls, RuleSettings settings)
    {
        if (IncompleteSyscalls(scope.View.Trace) is { } why)
        {
            return ScopeFigure.NotMeasured(why);
        }
        long syscalls = calls.Sum(c => (long)c.Syscalls);
        double perWait = (double)syscalls / calls.Count;
        var inside = SyscallsInside(scope, calls);
        string worst = TraceEvidence.Joined(calls.OrderByDescending(c => c.Syscalls).Take(3)
            .Select(c => $"{c.Name} with {c.Syscalls:N0} syscall(s) in {RuleJudge.Number(c.DurationNs!.Value / 1e6)} ms at {TraceEvidence.Offset(scope.View, c.StartNs)} ({TraceEvidence.Thread(scope.View.Trace, c.Tid)})"), 3);
        return ScopeFigure.Measured(perWait, $"{RuleJudge.Number(perWait)} per wait ({syscalls:N0} in {calls.Count:N0} waits)",
            $"{TraceEvidence.TopSyscalls(scope.View, inside)}; the worst: {worst}", EvidenceItems.Syscalls(scope, inside));
    }
}
