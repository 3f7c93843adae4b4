namespace GpuOsSpec.Workloads.Backends;

/// <summary>A program built from kernel source.</summary>
public interface IGpuProgram : IDisposable
{
    /// <summary>The kernel named <paramref name="name"/>.</summary>
    /// <exception cref="GpuBackendException">When the program has no such kernel.</exception>
    IGpuKernel Kernel(string name);
}
