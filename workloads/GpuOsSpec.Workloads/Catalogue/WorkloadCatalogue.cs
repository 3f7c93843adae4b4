using GpuOsSpec.Workloads.Catalogue.Workloads;

namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>Every workload, along the axes that matter: launches, kernel length, sync cadence and mode, submission
/// cadence, ordering, allocation, copies, mapped memory, graphs.</summary>
public static class WorkloadCatalogue
{
    /// <summary>All workloads.</summary>
    public static IReadOnlyList<IWorkload> All { get; } =
    [
        new LaunchStorm(), new SyncCadence(), new SyncModeOnLongKernel(), new KernelDurationSweep(), new SubmissionCadence(),
        new Ordering(), new AllocationChurn(), new Copies(), new MappedMemory(), new GraphLaunch(),
    ];

    /// <summary>The workload named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">For an unknown name; the message lists the valid ones.</exception>
    public static IWorkload Get(string name) =>
        All.FirstOrDefault(w => w.Name == name)
        ?? throw new ArgumentException($"Unknown workload \"{name}\". Valid workloads: {string.Join(", ", All.Select(w => w.Name))}.");
}
