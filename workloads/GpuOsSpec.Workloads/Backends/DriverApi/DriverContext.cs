namespace GpuOsSpec.Workloads.Backends.DriverApi;

/// <summary>
/// A driver-API context (a CUDA context, a HIP device) with the sync mode as its scheduling flag. It owns what is made
/// in it and releases it, newest first, when disposed.
/// </summary>
internal abstract class DriverContext<TApi> : IGpuContext where TApi : struct, IDriverApi
{
    private readonly nint _handle;
    private readonly List<IDisposable> _owned = [];
    private StandardKernels? _kernels;
    private bool _disposed;

    protected DriverContext(DeviceInfo device, SyncMode syncMode)
    {
        Device = device;
        SyncMode = syncMode;
        _handle = TApi.OpenContext(device, syncMode);
        DefaultStream = new DriverStream<TApi>(this, 0, false);
    }

    public string Backend => TApi.Name;

    public DeviceInfo Device { get; }

    public SyncMode SyncMode { get; }

    public StandardKernels Kernels => _kernels ??= StandardKernels.Build(this, TApi.StandardKernels);

    public IGpuStream DefaultStream { get; }

    /// <summary>Makes this context current on the calling thread (in CUDA a thread-local switch in the driver, no
    /// syscall).</summary>
    internal void MakeCurrent() => TApi.MakeCurrent(_handle);

    public unsafe IGpuProgram Build(KernelSource source)
    {
        byte[] image = ModuleImage(source);
        MakeCurrent();
        nint module;
        fixed (byte* p = image)
        {
            module = TApi.LoadModule(p);
        }
        return Own(new DriverProgram<TApi>(module));
    }

    public IGpuBuffer Allocate(long bytes, MemoryKind kind)
    {
        MakeCurrent();
        return Own(new DriverBuffer<TApi>(bytes, kind));
    }

    public IGpuStream CreateStream(bool outOfOrder = false)
    {
        if (outOfOrder)
        {
            throw new NotSupportedException(TApi.InOrderStreams);
        }
        MakeCurrent();
        return Own(new DriverStream<TApi>(this, TApi.CreateStream(), true));
    }

    public abstract KernelArgument BusyWaitArgument(TimeSpan duration);

    public void Synchronize()
    {
        MakeCurrent();
        TApi.SynchronizeContext();
    }

    /// <summary>The code image the module loads from <paramref name="source"/>, refusing source in another
    /// language.</summary>
    /// <exception cref="ArgumentException">When the source is in another backend's
    /// language.</exception>
    protected abstract byte[] ModuleImage(KernelSource source);

    /// <summary>Takes <paramref name="resource"/> into the context, to be released with it.</summary>
    protected T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        TApi.Drain(_handle);
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
        TApi.CloseContext(_handle);
    }
}
