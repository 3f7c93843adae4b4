using System.Text;

namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>A HIP device made current with the sync mode as its schedule flag.</summary>
internal sealed class HipContext : IGpuContext
{
    private readonly List<IDisposable> _owned = [];
    private StandardKernels? _kernels;
    private int? _clockKhz;
    private bool _disposed;

    internal HipContext(DeviceInfo device, SyncMode syncMode)
    {
        Device = device;
        SyncMode = syncMode;
        HipErrors.Check(Interop.Hip.hipSetDevice(device.Index), "hipSetDevice");
        uint flags = syncMode switch
        {
            SyncMode.Spin => Interop.Hip.DeviceScheduleSpin,
            SyncMode.Yield => Interop.Hip.DeviceScheduleYield,
            SyncMode.Blocking => Interop.Hip.DeviceScheduleBlockingSync,
            _ => Interop.Hip.DeviceScheduleAuto,
        };
        // hipSetDeviceFlags fails once the device is in use; the flags then stay as first set, which is reported.
        int rc = Interop.Hip.hipSetDeviceFlags(flags);
        if (rc != 0 && rc != 708)
        {
            HipErrors.Check(rc, "hipSetDeviceFlags");
        }
        DefaultStream = new HipStream(this, 0, false);
    }

    public string Backend => "hip";

    public DeviceInfo Device { get; }

    public SyncMode SyncMode { get; }

    public StandardKernels Kernels => _kernels ??= StandardKernels.Build(this, HipKernels.Source);

    public IGpuStream DefaultStream { get; }

    public unsafe IGpuProgram Build(KernelSource source)
    {
        if (source.Language != "hip")
        {
            throw new ArgumentException($"The hip backend builds HIP source, not {source.Language}.", nameof(source));
        }
        byte[] code = Compile(source.Text);
        nint module;
        fixed (byte* p = code)
        {
            HipErrors.Check(Interop.Hip.hipModuleLoadData(out module, p), "hipModuleLoadData");
        }
        var program = new HipProgram(module);
        _owned.Add(program);
        return program;
    }

    public IGpuBuffer Allocate(long bytes, MemoryKind kind)
    {
        var buffer = new HipBuffer(bytes, kind);
        _owned.Add(buffer);
        return buffer;
    }

    public IGpuStream CreateStream(bool outOfOrder = false)
    {
        if (outOfOrder)
        {
            throw new NotSupportedException("HIP streams run in order; use several streams with events for concurrency.");
        }
        HipErrors.Check(Interop.Hip.hipStreamCreateWithFlags(out nint stream, Interop.Hip.StreamNonBlocking), "hipStreamCreateWithFlags");
        var s = new HipStream(this, stream, true);
        _owned.Add(s);
        return s;
    }

    public KernelArgument BusyWaitArgument(TimeSpan duration)
    {
        if (_clockKhz is null)
        {
            HipErrors.Check(Interop.Hip.hipDeviceGetAttribute(out int khz, Interop.Hip.AttributeClockRate, Device.Index), "hipDeviceGetAttribute(clock rate)");
            _clockKhz = khz;
        }
        return KernelArgument.Of((ulong)(duration.TotalMilliseconds * _clockKhz.Value));
    }

    public void Synchronize() => HipErrors.Check(Interop.Hip.hipDeviceSynchronize(), "hipDeviceSynchronize");

    private static unsafe byte[] Compile(string text)
    {
        byte[] source = Encoding.UTF8.GetBytes(text + "\0");
        byte[] name = "gpuosspec.hip\0"u8.ToArray();
        nint program;
        fixed (byte* s = source)
        fixed (byte* n = name)
        {
            HipErrors.CheckRtc(Interop.HipRtc.hiprtcCreateProgram(out program, s, n, 0, null, null), "hiprtcCreateProgram");
        }
        try
        {
            int rc = Interop.HipRtc.hiprtcCompileProgram(program, 0, null);
            if (rc != 0)
            {
                Interop.HipRtc.hiprtcGetProgramLogSize(program, out nuint logSize);
                var log = new byte[(int)logSize + 1];
                fixed (byte* l = log)
                {
                    Interop.HipRtc.hiprtcGetProgramLog(program, l);
                }
                HipErrors.CheckRtc(rc, "hiprtcCompileProgram", Encoding.UTF8.GetString(log).TrimEnd('\0'));
            }
            HipErrors.CheckRtc(Interop.HipRtc.hiprtcGetCodeSize(program, out nuint size), "hiprtcGetCodeSize");
            var code = new byte[(int)size];
            fixed (byte* c = code)
            {
                HipErrors.CheckRtc(Interop.HipRtc.hiprtcGetCode(program, c), "hiprtcGetCode");
            }
            return code;
        }
        finally
        {
            Interop.HipRtc.hiprtcDestroyProgram(ref program);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Interop.Hip.hipDeviceSynchronize();
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }
}
