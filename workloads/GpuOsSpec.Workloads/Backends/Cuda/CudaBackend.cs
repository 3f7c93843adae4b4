using GpuOsSpec.Workloads.Backends.DriverApi;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>The CUDA driver API (libcuda.so.1): PTX kernels, context sync flags, streams, events, pinned and managed
/// memory, graphs.</summary>
public sealed class CudaBackend : IGpuBackend
{
    /// <summary>The oldest driver this backend runs on: 11.4, for cuGraphInstantiateWithFlags.</summary>
    public const int MinimumDriverVersion = 11040;

    /// <inheritdoc/>
    public string Name => CudaApi.Name;

    /// <inheritdoc/>
    public BackendAvailability Discover() => DriverApiBackend<CudaApi>.Discover();

    /// <inheritdoc/>
    public IGpuContext CreateContext(ContextOptions options) => new CudaContext(DriverApiBackend<CudaApi>.Device(options), options.SyncMode);
}
