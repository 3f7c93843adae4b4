namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>hipMalloc (device), hipHostMalloc (pinned) or hipMallocManaged (mapped).</summary>
internal sealed class HipBuffer : IGpuBuffer
{
    private bool _disposed;

    internal HipBuffer(long bytes, MemoryKind kind)
    {
        Bytes = bytes;
        Kind = kind;
        nint p;
        switch (kind)
        {
            case MemoryKind.Device:
                HipErrors.Check(Interop.Hip.hipMalloc(out p, (nuint)bytes), "hipMalloc");
                break;
            case MemoryKind.PinnedHost:
                HipErrors.Check(Interop.Hip.hipHostMalloc(out p, (nuint)bytes, Interop.Hip.HostMallocDefault), "hipHostMalloc");
                break;
            default:
                HipErrors.Check(Interop.Hip.hipMallocManaged(out p, (nuint)bytes, Interop.Hip.MemAttachGlobal), "hipMallocManaged");
                break;
        }
        Pointer = p;
    }

    public long Bytes { get; }

    public MemoryKind Kind { get; }

    internal nint Pointer { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (Kind == MemoryKind.PinnedHost)
        {
            Interop.Hip.hipHostFree(Pointer);
        }
        else
        {
            Interop.Hip.hipFree(Pointer);
        }
    }
}
