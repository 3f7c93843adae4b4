using System.Text;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>A CUDA context whose scheduling flag is the sync mode.</summary>
internal sealed class CudaContext : IGpuContext, IGraphCapture
{
    private readonly nint _context;
    private readonly List<IDisposable> _owned = [];
    private StandardKernels? _kernels;
    private bool _disposed;

    internal CudaContext(DeviceInfo device, SyncMode syncMode)
    {
        Device = device;
        SyncMode = syncMode;
        uint flags = syncMode switch
        {
            SyncMode.Spin => Interop.Cuda.CtxSchedSpin,
            SyncMode.Yield => Interop.Cuda.CtxSchedYield,
            SyncMode.Blocking => Interop.Cuda.CtxSchedBlockingSync,
            _ => Interop.Cuda.CtxSchedAuto,
        };
        CudaErrors.Check(Interop.Cuda.cuDeviceGet(out int ordinal, device.Index), "cuDeviceGet");
        CudaErrors.Check(Interop.Cuda.cuCtxCreate_v2(out _context, flags, ordinal), "cuCtxCreate");
        DefaultStream = new CudaStream(this, 0, false);
    }

    public string Backend => "cuda";

    public DeviceInfo Device { get; }

    public SyncMode SyncMode { get; }

    public StandardKernels Kernels => _kernels ??= StandardKernels.Build(this, CudaKernels.Source);

    public IGpuStream DefaultStream { get; }

    /// <summary>Makes this context current on the calling thread (a thread-local switch in the driver, no syscall).</summary>
    internal void MakeCurrent() => CudaErrors.Check(Interop.Cuda.cuCtxSetCurrent(_context), "cuCtxSetCurrent");

    public unsafe IGpuProgram Build(KernelSource source)
    {
        if (source.Language != "ptx")
        {
            throw new ArgumentException($"The cuda backend builds PTX, not {source.Language}.", nameof(source));
        }
        MakeCurrent();
        byte[] image = Encoding.ASCII.GetBytes(source.Text + "\0");
        nint module;
        fixed (byte* p = image)
        {
            CudaErrors.Check(Interop.Cuda.cuModuleLoadData(out module, p), "cuModuleLoadData");
        }
        var program = new CudaProgram(module);
        _owned.Add(program);
        return program;
    }

    public IGpuBuffer Allocate(long bytes, MemoryKind kind)
    {
        MakeCurrent();
        var buffer = new CudaBuffer(bytes, kind);
        _owned.Add(buffer);
        return buffer;
    }

    public IGpuStream CreateStream(bool outOfOrder = false)
    {
        if (outOfOrder)
        {
            throw new NotSupportedException("CUDA streams run in order; use several streams with events for concurrency (OpenCL has out-of-order queues).");
        }
        MakeCurrent();
        CudaErrors.Check(Interop.Cuda.cuStreamCreate(out nint stream, Interop.Cuda.StreamNonBlocking), "cuStreamCreate");
        var s = new CudaStream(this, stream, true);
        _owned.Add(s);
        return s;
    }

    public KernelArgument BusyWaitArgument(TimeSpan duration) => KernelArgument.Of((ulong)duration.Ticks * 100);

    public void Synchronize()
    {
        MakeCurrent();
        CudaErrors.Check(Interop.Cuda.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    public IGpuGraph Capture(IGpuStream stream, Action<IGpuStream> record)
    {
        var cuda = (CudaStream)stream;
        if (cuda.Handle == 0)
        {
            throw new ArgumentException("CUDA cannot capture the legacy default stream; capture a stream from CreateStream().", nameof(stream));
        }
        MakeCurrent();
        CudaErrors.Check(Interop.Cuda.cuStreamBeginCapture_v2(cuda.Handle, Interop.Cuda.StreamCaptureModeThreadLocal), "cuStreamBeginCapture");
        nint graph;
        try
        {
            record(stream);
        }
        finally
        {
            // End the capture even when recording failed, or the stream stays unusable.
            CudaErrors.Check(Interop.Cuda.cuStreamEndCapture(cuda.Handle, out graph), "cuStreamEndCapture");
        }
        CudaErrors.Check(Interop.Cuda.cuGraphInstantiateWithFlags(out nint exec, graph, 0), "cuGraphInstantiateWithFlags");
        var g = new CudaGraph(graph, exec);
        _owned.Add(g);
        return g;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Interop.Cuda.cuCtxSetCurrent(_context);
        Interop.Cuda.cuCtxSynchronize();
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
        Interop.Cuda.cuCtxDestroy_v2(_context);
    }
}
