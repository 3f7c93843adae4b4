namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>A hipFunction_t.</summary>
internal sealed record HipKernel(string Name, nint Function) : IGpuKernel;
