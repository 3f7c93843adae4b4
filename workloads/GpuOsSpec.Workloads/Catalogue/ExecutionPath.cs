namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>How a workload's phases and host waits reach the OS.</summary>
public enum ExecutionPath
{
    /// <summary>The vendor's own synchronization; phases are ours only.</summary>
    Native,

    /// <summary>
    /// Through gpuos: each phase is also a gpuos phase (a marker any tracer sees), and every host wait on a stream goes
    /// through a gpuos completion, on the vendor's cheapest wake-up (docs/abstraction.md).
    /// </summary>
    GpuOs,
}
