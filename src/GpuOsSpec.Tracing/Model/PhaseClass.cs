namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// The workload class a gpuos phase declared, as its markers carry it (gpuos_class). A type of the trace model, apart
/// from the binding's GpuOs.WorkloadClass: Tracing knows no gpuos binding, and a spec using both needs no alias.
/// </summary>
public enum PhaseClass
{
    /// <summary>Not declared (phases of in-process workloads).</summary>
    None = 0,

    /// <summary>Latency-critical.</summary>
    LatencyCritical = 1,

    /// <summary>Throughput.</summary>
    Throughput = 2,

    /// <summary>Background.</summary>
    Background = 3,
}
