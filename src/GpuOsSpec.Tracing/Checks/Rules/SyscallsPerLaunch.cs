namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>A warm launch costs (almost) no syscall: syscalls per launch call stay under a bound (with
/// --api).</summary>
public sealed class SyscallsPerLaunch : ApiCallRule
{
    private static readonly HashSet<string> s_launches = new(StringComparer.Ordinal)
    {
        "cuLaunchKernel", "cuLaunchKernelEx", "cuLaunchCooperativeKernel", "cuGraphLaunch",
        "clEnqueueNDRangeKernel", "clEnqueueTask",
        "hipModuleLaunchKernel", "hipLaunchKernel", "hipGraphLaunch",
    };

    /// <inheritdoc/>
    public override string Id => "syscalls-per-launch";

    /// <inheritdoc/>
    public override string Title => "A launch costs (almost) no syscall";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypothesis \"A steady-state kernel launch costs no syscall\" (specs/Submission/WarmLaunchCostsNoSyscall.cs); H200: 0 syscalls per cuLaunchKernel " +
        "(10,000 launches). Refuted on PoCL, which wakes idle workers with futex (0.12 to 1.6 per launch, 2 cores; 44 with 16 cores)";

    /// <inheritdoc/>
    public override double DefaultThreshold => 0.1;

    /// <inheritdoc/>
    public override string Unit => "syscalls per launch";

    /// <inheritdoc/>
    public override CheckNeeds Needs => CheckNeeds.ApiCalls | CheckNeeds.EverySyscall;

    /// <inheritdoc/>
    protected override IReadOnlySet<string> Functions => s_launches;

    /// <inheritdoc/>
    protected override string Kind => "launches";

    /// <inheritdoc/>
    protected override string Expectation(double threshold) => $"to make at most {RuleJudge.Number(threshold)} syscalls per launch";

    /// <inheritdoc/>
    protected override ScopeFigure Measure(CheckScope scope, IReadOnlyList<ApiCall> calls, RuleSettings settings)
    {
        if (IncompleteSyscalls(scope.View.Trace) is { } why)
        {
            return ScopeFigure.NotMeasured(why);
        }
        long syscalls = calls.Sum(c => (long)c.Syscalls);
        double perLaunch = (double)syscalls / calls.Count;
        var inside = SyscallsInside(scope, calls);
        string worst = TraceEvidence.Joined(calls.Where(c => c.Syscalls > 0).OrderByDescending(c => c.Syscalls).Take(3)
            .Select(c => $"{c.Name} with {c.Syscalls} syscall(s) at {TraceEvidence.Offset(scope.View, c.StartNs)} ({TraceEvidence.Thread(scope.View.Trace, c.Tid)})"), 3);
        return ScopeFigure.Measured(perLaunch, $"{RuleJudge.Number(perLaunch)} per launch ({syscalls:N0} in {calls.Count:N0} launches)",
            $"{TraceEvidence.TopSyscalls(scope.View, inside)}; the worst: {worst}", EvidenceItems.Syscalls(scope, inside));
    }
}
