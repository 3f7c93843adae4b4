namespace GpuOsSpec.Workloads.Backends.GpuOs;

/// <summary>A context whose streams wait through gpuos completions (<see cref="GpuOsStream"/>); the rest is the
/// vendor's.</summary>
internal sealed class GpuOsContext : IGpuContext
{
    private readonly IGpuContext _inner;
    private readonly List<GpuOsStream> _streams = [];

    internal GpuOsContext(IGpuContext inner)
    {
        _inner = inner;
        DefaultStream = Track(new GpuOsStream(inner.DefaultStream, inner.SyncMode));
    }

    public string Backend => _inner.Backend;

    public DeviceInfo Device => _inner.Device;

    public SyncMode SyncMode => _inner.SyncMode;

    public StandardKernels Kernels => _inner.Kernels;

    public IGpuStream DefaultStream { get; }

    public IGpuProgram Build(KernelSource source) => _inner.Build(source);

    public IGpuBuffer Allocate(long bytes, MemoryKind kind) => _inner.Allocate(bytes, kind);

    public IGpuStream CreateStream(bool outOfOrder = false) => Track(new GpuOsStream(_inner.CreateStream(outOfOrder), _inner.SyncMode));

    public KernelArgument BusyWaitArgument(TimeSpan duration) => _inner.BusyWaitArgument(duration);

    /// <summary>Waits for every stream of the context through its completion.</summary>
    public void Synchronize()
    {
        foreach (var stream in _streams.Where(s => !s.Disposed))
        {
            stream.Synchronize();
        }
    }

    private GpuOsStream Track(GpuOsStream stream)
    {
        _streams.Add(stream);
        return stream;
    }

    // The streams belong to the inner context (the default one) or to the workload; only the completions are ours.
    public void Dispose()
    {
        foreach (var stream in _streams)
        {
            stream.ReleaseCompletion();
        }
        _inner.Dispose();
    }
}
