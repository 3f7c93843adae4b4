namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>A steady phase makes no ioctl: a warm launch, copy or wait is user-space work.</summary>
public sealed class SteadyNoIoctl : SteadySyscallsRule
{
    /// <inheritdoc/>
    public override string Id => "steady-no-ioctl";

    /// <inheritdoc/>
    public override string Title => "A steady phase makes no ioctl";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypothesis \"A steady-state kernel launch costs no syscall\" (specs/Submission/WarmLaunchCostsNoSyscall.cs); H200: 10,000 CUDA launches and a sync made no syscall, " +
        "and the PyTorch training loop's phases made no ioctl in 50 steps (docs/h200-api-2026-12-02/train-gpuos.txt)";

    /// <inheritdoc/>
    protected override string What => "ioctls";

    /// <inheritdoc/>
    protected override IReadOnlyList<string> Names { get; } = ["ioctl"];
}
