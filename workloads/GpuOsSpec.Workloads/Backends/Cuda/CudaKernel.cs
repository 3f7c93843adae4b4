namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>A CUfunction.</summary>
internal sealed record CudaKernel(string Name, nint Function) : IGpuKernel;
