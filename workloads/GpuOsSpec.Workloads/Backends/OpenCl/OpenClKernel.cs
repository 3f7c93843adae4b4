namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>A cl_kernel.</summary>
internal sealed record OpenClKernel(string Name, nint Handle) : IGpuKernel;
