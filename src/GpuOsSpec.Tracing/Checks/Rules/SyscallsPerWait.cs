namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>A wait costs a few syscalls however long it lasts: it parks once, or spins without the OS (with
/// --api).</summary>
public sealed class SyscallsPerWait : SyscallsPerApiCallRule
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
    protected override IReadOnlySet<string> Functions => Waits;

    /// <inheritdoc/>
    protected override string Kind => "waits";

    /// <inheritdoc/>
    protected override string Noun => "wait";

    /// <inheritdoc/>
    protected override string Describe(ApiCall call) =>
        $"{call.Name} with {call.Syscalls:N0} syscall(s) in {RuleJudge.Number(call.DurationNs!.Value / 1e6)} ms";
}
