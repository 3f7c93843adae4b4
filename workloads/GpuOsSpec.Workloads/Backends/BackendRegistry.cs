using GpuOsSpec.Workloads.Backends.Cpu;
using GpuOsSpec.Workloads.Backends.Cuda;
using GpuOsSpec.Workloads.Backends.Hip;
using GpuOsSpec.Workloads.Backends.OpenCl;

namespace GpuOsSpec.Workloads.Backends;

/// <summary>The backends GpuOsSpec knows: cuda, opencl, hip, cpu.</summary>
public static class BackendRegistry
{
    /// <summary>Every backend, in the order reports list them.</summary>
    public static IReadOnlyList<IGpuBackend> All { get; } = [new CudaBackend(), new OpenClBackend(), new HipBackend(), new CpuBackend()];

    /// <summary>The names, for help text and errors.</summary>
    public static IEnumerable<string> Names => All.Select(b => b.Name);

    /// <summary>The backend named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">For an unknown name; the message lists the valid ones.</exception>
    public static IGpuBackend Get(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown backend \"{name}\". Valid backends: {string.Join(", ", Names)}.");
}
