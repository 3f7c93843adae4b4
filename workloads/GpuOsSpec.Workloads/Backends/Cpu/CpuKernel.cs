namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>A managed kernel: runs over the launch's threads on the stream's worker.</summary>
internal sealed record CpuKernel(string Name, CpuKernelBody Body) : IGpuKernel;

/// <summary>A managed kernel: its arguments and the number of threads it covers.</summary>
internal delegate void CpuKernelBody(ReadOnlySpan<KernelArgument> arguments, long threads);
