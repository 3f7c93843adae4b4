using GpuOsSpec.Workloads.Backends.DriverApi;

namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>HIP (libamdhip64.so) with hiprtc kernels; device flags set the sync mode. Built and unit-tested; no AMD GPU
/// has run it here.</summary>
public sealed class HipBackend : IGpuBackend
{
    /// <inheritdoc/>
    public string Name => HipApi.Name;

    /// <inheritdoc/>
    public BackendAvailability Discover() => DriverApiBackend<HipApi>.Discover();

    /// <inheritdoc/>
    public IGpuContext CreateContext(ContextOptions options) => new HipContext(DriverApiBackend<HipApi>.Device(options), options.SyncMode);
}
