namespace GpuOsSpec.Workloads.Backends.DriverApi;

/// <summary>A function of a driver-API module (CUfunction, hipFunction_t).</summary>
internal sealed record DriverKernel<TApi>(string Name, nint Function) : IGpuKernel where TApi : struct, IDriverApi;
