namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>A workload declared by what it is (its name, description and parameters); a subclass says how it
/// runs.</summary>
/// <param name="name">The name used on the command line.</param>
/// <param name="description">What it
/// varies and what it shows.</param>
/// <param name="parameters">Its parameters.</param>
public abstract class Workload(string name, string description, IReadOnlyList<WorkloadParameter> parameters) : IWorkload
{
    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public string Description { get; } = description;

    /// <inheritdoc/>
    public IReadOnlyList<WorkloadParameter> Parameters { get; } = parameters;

    /// <inheritdoc/>
    public abstract void Run(WorkloadRun run);
}
