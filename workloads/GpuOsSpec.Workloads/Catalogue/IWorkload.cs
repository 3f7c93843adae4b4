namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>One experiment of the catalogue: phases setup, steady and teardown, on any backend.</summary>
public interface IWorkload
{
    /// <summary>The name used on the command line (launch-storm, sync-cadence, ...).</summary>
    string Name { get; }

    /// <summary>What it varies and what it shows.</summary>
    string Description { get; }

    /// <summary>Its parameters.</summary>
    IReadOnlyList<WorkloadParameter> Parameters { get; }

    /// <summary>Runs it. Open phases with <see cref="WorkloadRun.Phase"/>; create the context with
    /// <see cref="WorkloadRun.CreateContext"/>.</summary>
    void Run(WorkloadRun run);
}
