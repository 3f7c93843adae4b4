using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

/// <summary>struct perf_event_attr up to PERF_ATTR_SIZE_VER5 (112 bytes), which every kernel since 4.1
/// accepts.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PerfEventAttr
{
    internal const uint SizeVer5 = 112;

    public uint Type;
    public uint Size;
    public ulong Config;
    public ulong SamplePeriod;
    public ulong SampleType;
    public ulong ReadFormat;
    public ulong Flags;
    public uint WakeupEvents;
    public uint BpType;
    public ulong Config1;
    public ulong Config2;
    public ulong BranchSampleType;
    public ulong SampleRegsUser;
    public uint SampleStackUser;
    public int ClockId;
    public ulong SampleRegsIntr;
    public uint AuxWatermark;
    public ushort SampleMaxStack;
    public ushort Reserved2;
}
