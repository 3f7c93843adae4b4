namespace GpuOsSpec.Workloads.Backends.DriverApi;

/// <summary>Device, pinned host or mapped (managed) memory of a driver-API backend.</summary>
internal sealed class DriverBuffer<TApi> : IGpuBuffer where TApi : struct, IDriverApi
{
    private bool _disposed;

    internal DriverBuffer(long bytes, MemoryKind kind)
    {
        Bytes = bytes;
        Kind = kind;
        (DevicePointer, HostPointer) = TApi.Allocate(bytes, kind);
    }

    public long Bytes { get; }

    public MemoryKind Kind { get; }

    /// <summary>The address kernels and copies use.</summary>
    internal ulong DevicePointer { get; }

    /// <summary>The address the host uses (pinned and mapped memory).</summary>
    internal nint HostPointer { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (Kind == MemoryKind.PinnedHost)
        {
            TApi.FreeHost(HostPointer);
        }
        else
        {
            TApi.Free(DevicePointer);
        }
    }
}
