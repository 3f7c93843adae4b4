using System.Text;
using GpuOsSpec.Workloads.Backends.DriverApi;

namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>A HIP device made current with the sync mode as its schedule flag; it builds HIP source with
/// hiprtc.</summary>
internal sealed class HipContext(DeviceInfo device, SyncMode syncMode) : DriverContext<HipApi>(device, syncMode)
{
    private int? _clockKhz;

    public override KernelArgument BusyWaitArgument(TimeSpan duration)
    {
        if (_clockKhz is null)
        {
            HipErrors.Check(Interop.Hip.hipDeviceGetAttribute(out int khz, Interop.Hip.AttributeClockRate, Device.Index), "hipDeviceGetAttribute(clock rate)");
            _clockKhz = khz;
        }
        return KernelArgument.Of((ulong)(duration.TotalMilliseconds * _clockKhz.Value));
    }

    protected override byte[] ModuleImage(KernelSource source)
    {
        if (source.Language != "hip")
        {
            throw new ArgumentException($"The hip backend builds HIP source, not {source.Language}.", nameof(source));
        }
        return Compile(source.Text);
    }

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
}
