namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>A CPU "device": streams are worker threads, memory is native memory, kernels are managed.</summary>
internal sealed class CpuContext : IGpuContext, IContextThreads
{
    private readonly List<IDisposable> _owned = [];
    // Every stream's worker, disposed ones too; read from other threads (a tracer labelling threads), so locked.
    private readonly List<CpuStream> _streams = [];
    private StandardKernels? _kernels;
    private bool _disposed;

    internal CpuContext(DeviceInfo device, SyncMode syncMode)
    {
        Device = device;
        SyncMode = syncMode;
        var stream = new CpuStream(syncMode);
        _streams.Add(stream);
        DefaultStream = stream;
    }

    public string Backend => "cpu";

    public DeviceInfo Device { get; }

    public SyncMode SyncMode { get; }

    public StandardKernels Kernels => _kernels ??= StandardKernels.Build(this, CpuKernels.Source);

    public IGpuStream DefaultStream { get; }

    public IReadOnlyCollection<int> ThreadIds
    {
        get
        {
            lock (_streams)
            {
                return _streams.Select(s => s.ThreadId).ToList();
            }
        }
    }

    public IGpuProgram Build(KernelSource source)
    {
        if (source.Language != "managed")
        {
            throw new ArgumentException($"The cpu backend runs managed kernels, not {source.Language}.", nameof(source));
        }
        var kernels = new Dictionary<string, CpuKernel>(StringComparer.Ordinal);
        foreach (string name in source.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            kernels[name] = CpuKernels.Find(name)
                ?? throw new GpuBackendException("cpu Build", $"no managed kernel named \"{name}\"", 0, "known: empty, vadd, busywait, touch");
        }
        return new CpuProgram(kernels);
    }

    public IGpuBuffer Allocate(long bytes, MemoryKind kind)
    {
        var b = new CpuBuffer(bytes, kind);
        _owned.Add(b);
        return b;
    }

    public IGpuStream CreateStream(bool outOfOrder = false)
    {
        if (outOfOrder)
        {
            throw new NotSupportedException("The cpu backend's streams run in order; OpenCL has out-of-order queues.");
        }
        var s = new CpuStream(SyncMode);
        _owned.Add(s);
        lock (_streams)
        {
            _streams.Add(s);
        }
        return s;
    }

    public KernelArgument BusyWaitArgument(TimeSpan duration) => KernelArgument.Of((ulong)duration.Ticks * 100);

    public void Synchronize() => DefaultStream.Synchronize();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        DefaultStream.Synchronize();
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
        DefaultStream.Dispose();
    }
}
