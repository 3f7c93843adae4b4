namespace GpuOsSpec.Tracing.Model;

/// <summary>The workload class a gpuos phase declared (the tracer's copy of gpuos_class; Tracing knows no gpuos binding).</summary>
public enum WorkloadClass
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
