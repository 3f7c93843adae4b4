namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>
/// A CPU stand-in for a GPU runtime: managed kernels run on a worker thread per stream, so submission is asynchronous
/// as on a GPU. Always available; the baseline every vendor is compared against.
/// </summary>
public sealed class CpuBackend : IGpuBackend
{
    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public BackendAvailability Discover() => new(Name, true, null, [Device]);

    /// <inheritdoc/>
    public IGpuContext CreateContext(ContextOptions options)
    {
        if (options.DeviceIndex != 0)
        {
            throw new ArgumentException($"cpu has 1 device; device {options.DeviceIndex} does not exist.", nameof(options));
        }
        return new CpuContext(Device, options.SyncMode);
    }

    private static DeviceInfo Device => new(0, $"{Environment.ProcessorCount} CPU cores (managed kernels)",
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, $".NET {Environment.Version}");
}
