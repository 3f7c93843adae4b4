using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>cuMemAlloc (device), cuMemHostAlloc (pinned) or cuMemAllocManaged (mapped).</summary>
internal sealed class CudaBuffer : IGpuBuffer
{
    private bool _disposed;

    internal CudaBuffer(long bytes, MemoryKind kind)
    {
        Bytes = bytes;
        Kind = kind;
        switch (kind)
        {
            case MemoryKind.Device:
                CudaErrors.Check(Interop.Cuda.cuMemAlloc_v2(out ulong d, (nuint)bytes), "cuMemAlloc");
                DevicePointer = d;
                break;
            case MemoryKind.PinnedHost:
                CudaErrors.Check(Interop.Cuda.cuMemHostAlloc(out nint h, (nuint)bytes, Interop.Cuda.MemHostAllocPortable), "cuMemHostAlloc");
                HostPointer = h;
                DevicePointer = (ulong)h; // unified addressing: the host address is valid on the device
                break;
            default:
                CudaErrors.Check(Interop.Cuda.cuMemAllocManaged(out ulong m, (nuint)bytes, Interop.Cuda.MemAttachGlobal), "cuMemAllocManaged");
                DevicePointer = m;
                HostPointer = (nint)m;
                break;
        }
    }

    public long Bytes { get; }

    public MemoryKind Kind { get; }

    internal ulong DevicePointer { get; }

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
            Interop.Cuda.cuMemFreeHost(HostPointer);
        }
        else
        {
            Interop.Cuda.cuMemFree_v2(DevicePointer);
        }
    }
}
