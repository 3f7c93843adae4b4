using GpuOsSpec.Tracing.Checks;

namespace GpuOsSpec.Examples.CheckRules;

/// <summary>
/// A steady phase makes no fsync: a training loop that checkpoints synchronously inside its step waits for the disk.
/// A user's rule for `gpuosspec check --rules-assembly`, configured by the rules file like the built-in ones
/// ("steady-no-fsync": { "threshold": 1 }).
/// </summary>
public sealed class SteadyNoFsync : SteadySyscallsRule
{
    /// <inheritdoc/>
    public override string Id => "steady-no-fsync";

    /// <inheritdoc/>
    public override string Title => "A steady phase makes no fsync";

    /// <inheritdoc/>
    public override string Basis => "Example: a step that waits for the disk waits for the slowest device in the machine";

    /// <inheritdoc/>
    protected override string What => "fsync calls";

    /// <inheritdoc/>
    protected override IReadOnlyList<string> Names { get; } = ["fsync", "fdatasync", "sync_file_range"];
}
