using System.Diagnostics;
using System.Text;

namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>An OpenCL context on one device. The sync mode picks how the host waits: clFinish, clWaitForEvents, or
/// polling.</summary>
internal sealed class OpenClContext : IGpuContext
{
    private readonly List<IDisposable> _owned = [];
    private StandardKernels? _kernels;
    private double? _iterationsPerNs;
    private bool _disposed;

    internal unsafe OpenClContext(nint device, DeviceInfo info, SyncMode syncMode)
    {
        DeviceHandle = device;
        Device = info;
        SyncMode = syncMode;
        Handle = Interop.OpenCl.clCreateContext(null, 1, &device, 0, 0, out int error);
        OpenClErrors.Check(error, "clCreateContext");
        DefaultStream = CreateQueue(false);
    }

    internal nint Handle { get; }

    internal nint DeviceHandle { get; }

    public string Backend => "opencl";

    public DeviceInfo Device { get; }

    public SyncMode SyncMode { get; }

    public StandardKernels Kernels => _kernels ??= StandardKernels.Build(this, OpenClKernels.Source);

    public IGpuStream DefaultStream { get; }

    public unsafe IGpuProgram Build(KernelSource source)
    {
        if (source.Language != "opencl-c")
        {
            throw new ArgumentException($"The opencl backend builds OpenCL C, not {source.Language}.", nameof(source));
        }
        byte[] text = Encoding.UTF8.GetBytes(source.Text);
        nint program;
        fixed (byte* t = text)
        {
            byte* strings = t;
            nuint length = (nuint)text.Length;
            program = Interop.OpenCl.clCreateProgramWithSource(Handle, 1, &strings, &length, out int error);
            OpenClErrors.Check(error, "clCreateProgramWithSource");
        }
        nint device = DeviceHandle;
        int rc = Interop.OpenCl.clBuildProgram(program, 1, &device, null, 0, 0);
        if (rc != 0)
        {
            // The failed program is not released: PoCL 5.0 aborts the process (pocl_release_dlhandle_cache assertion)
            // when a program whose build failed is released. It leaks one small object per failed build.
            string log = BuildLog(program);
            OpenClErrors.Check(rc, "clBuildProgram", log.Length > 800 ? log[..800] + "…" : log);
        }
        var p = new OpenClProgram(program);
        _owned.Add(p);
        return p;
    }

    public IGpuBuffer Allocate(long bytes, MemoryKind kind)
    {
        var buffer = new OpenClBuffer(this, bytes, kind);
        _owned.Add(buffer);
        return buffer;
    }

    public IGpuStream CreateStream(bool outOfOrder = false)
    {
        var queue = CreateQueue(outOfOrder);
        _owned.Add(queue);
        return queue;
    }

    public KernelArgument BusyWaitArgument(TimeSpan duration)
    {
        _iterationsPerNs ??= Calibrate();
        return KernelArgument.Of((ulong)Math.Max(1, duration.Ticks * 100 * _iterationsPerNs.Value));
    }

    public void Synchronize() => DefaultStream.Synchronize();

    private unsafe OpenClQueue CreateQueue(bool outOfOrder)
    {
        ulong* properties = stackalloc ulong[3];
        properties[0] = Interop.OpenCl.QueueProperties;
        properties[1] = outOfOrder ? Interop.OpenCl.QueueOutOfOrder : 0;
        properties[2] = 0;
        nint queue = Interop.OpenCl.clCreateCommandQueueWithProperties(Handle, DeviceHandle, properties, out int error);
        if (error == -35 && outOfOrder)
        {
            throw new NotSupportedException($"{Device.Name} has no out-of-order queues (CL_INVALID_QUEUE_PROPERTIES).");
        }
        OpenClErrors.Check(error, "clCreateCommandQueueWithProperties");
        return new OpenClQueue(this, queue, outOfOrder);
    }

    // The device's rate for the counted busywait loop. The time of a launch includes the runtime's own dispatch cost,
    // so two lengths are timed (best of five each) and the rate is their difference over the difference in
    // iterations: the fixed cost cancels, and a requested duration is met rather than cut short by it.
    private double Calibrate()
    {
        const ulong small = 1 << 20, large = 1 << 22;
        var queue = DefaultStream;
        queue.Launch(Kernels.BusyWait, LaunchShape.Single, KernelArgument.Of(1UL));
        queue.Synchronize();
        double Best(ulong iterations)
        {
            double best = double.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                var sw = Stopwatch.StartNew();
                queue.Launch(Kernels.BusyWait, LaunchShape.Single, KernelArgument.Of(iterations));
                queue.Synchronize();
                best = Math.Min(best, sw.Elapsed.TotalNanoseconds);
            }
            return best;
        }
        double tSmall = Best(small);
        double tLarge = Best(large);
        return tLarge > tSmall ? (large - small) / (tLarge - tSmall) : large / Math.Max(1, tLarge);
    }

    private unsafe string BuildLog(nint program)
    {
        Interop.OpenCl.clGetProgramBuildInfo(program, DeviceHandle, Interop.OpenCl.ProgramBuildLog, 0, null, out nuint size);
        var log = new byte[(int)size + 1];
        fixed (byte* l = log)
        {
            Interop.OpenCl.clGetProgramBuildInfo(program, DeviceHandle, Interop.OpenCl.ProgramBuildLog, size, l, out _);
        }
        return Encoding.UTF8.GetString(log).TrimEnd('\0').Trim();
    }

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
        Interop.OpenCl.clReleaseContext(Handle);
    }
}
