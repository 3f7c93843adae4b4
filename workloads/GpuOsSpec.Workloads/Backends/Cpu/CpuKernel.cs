namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>A managed kernel: runs over the launch's threads on the stream's worker.</summary>
internal sealed record CpuKernel(string Name, Action<KernelArgument[], long> Body) : IGpuKernel;
