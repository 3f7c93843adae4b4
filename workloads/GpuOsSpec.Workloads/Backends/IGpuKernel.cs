namespace GpuOsSpec.Workloads.Backends;

/// <summary>A kernel of a built program.</summary>
public interface IGpuKernel
{
    /// <summary>The kernel's name in its source.</summary>
    string Name { get; }
}
