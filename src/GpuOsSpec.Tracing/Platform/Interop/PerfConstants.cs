namespace GpuOsSpec.Tracing.Platform.Interop;

/// <summary>Numbers from include/uapi/linux/perf_event.h.</summary>
internal static class PerfConstants
{
    internal const uint TypeSoftware = 1;
    internal const uint TypeTracepoint = 2;

    internal const ulong SwPageFaultsMin = 5;
    internal const ulong SwPageFaultsMaj = 6;

    internal const ulong SampleTid = 1UL << 1;
    internal const ulong SampleTime = 1UL << 2;
    internal const ulong SampleAddr = 1UL << 3;
    internal const ulong SampleCpu = 1UL << 7;
    internal const ulong SampleRaw = 1UL << 10;
    internal const ulong SampleIdentifier = 1UL << 16;

    internal const ulong FlagDisabled = 1UL << 0;
    internal const ulong FlagInherit = 1UL << 1;
    internal const ulong FlagComm = 1UL << 9;
    internal const ulong FlagEnableOnExec = 1UL << 12;
    internal const ulong FlagTask = 1UL << 13;
    internal const ulong FlagWatermark = 1UL << 14;
    internal const ulong FlagSampleIdAll = 1UL << 18;
    internal const ulong FlagUseClockId = 1UL << 25;
    internal const ulong FlagContextSwitch = 1UL << 26;

    internal const ulong FlagFdCloexec = 1UL << 3;

    internal const uint RecordLost = 2;
    internal const uint RecordComm = 3;
    internal const uint RecordExit = 4;
    internal const uint RecordFork = 7;
    internal const uint RecordSample = 9;
    internal const uint RecordLostSamples = 13;
    internal const uint RecordSwitch = 14;

    // PERF_RECORD_MISC_SWITCH_OUT: a switch record of the thread leaving its CPU (else entering it).
    internal const ushort MiscSwitchOut = 1 << 13;

    // PERF_RECORD_MISC_SWITCH_OUT_PREEMPT: the thread left its CPU still runnable (preempted, or yielding).
    internal const ushort MiscSwitchOutPreempt = 1 << 14;

    // _IO('$', n) and _IOW('$', n, ...) request codes.
    internal const ulong IocEnable = 0x2400;
    internal const ulong IocDisable = 0x2401;
    internal const ulong IocSetOutput = 0x2405;
    internal const ulong IocSetFilter = 0x40082406;
    internal const ulong IocId = 0x80082407;

    // _IOWR('$', 10, __u32 *): the ids of the classic eBPF programs attached to a tracepoint event's tracepoint.
    internal const ulong IocQueryBpf = 0xC008240A;

    // BPF_TRACE_MAX_PROGS: the most programs one tracepoint holds.
    internal const int MaxTracepointPrograms = 64;

    internal const ulong SwBpfOutput = 10;
}
