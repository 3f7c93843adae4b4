namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>A steady phase opens no file (device files included).</summary>
public sealed class SteadyNoFileOpen : SteadySyscallsRule
{
    /// <inheritdoc/>
    public override string Id => "steady-no-file-open";

    /// <inheritdoc/>
    public override string Title => "A steady phase opens no file";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypothesis \"Device files are opened and driven while a context is set up; the steady phase opens nothing\" (specs/Submission/DeviceFilesOpenOnlyInSetup.cs)";

    /// <inheritdoc/>
    protected override string What => "file opens";

    /// <inheritdoc/>
    protected override IReadOnlyList<string> Names { get; } = [.. FileOpens.Names];
}
