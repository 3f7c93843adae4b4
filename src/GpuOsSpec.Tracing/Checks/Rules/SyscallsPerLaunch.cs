namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>A warm launch costs (almost) no syscall: syscalls per launch call stay under a bound (with
/// --api).</summary>
public sealed class SyscallsPerLaunch : SyscallsPerApiCallRule
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
    protected override IReadOnlySet<string> Functions => s_launches;

    /// <inheritdoc/>
    protected override string Kind => "launches";

    /// <inheritdoc/>
    protected override string Noun => "launch";

    /// <inheritdoc/>
    protected override IEnumerable<ApiCall> WorstCandidates(IReadOnlyList<ApiCall> calls) => calls.Where(c => c.Syscalls > 0);

    /// <inheritdoc/>
    protected override string Describe(ApiCall call) => $"{call.Name} with {call.Syscalls} syscall(s)";
}
