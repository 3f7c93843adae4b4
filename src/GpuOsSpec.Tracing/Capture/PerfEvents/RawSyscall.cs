using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Capture.PerfEvents;

/// <summary>A syscall as the perf collector pairs it: entry and exit, before decoding.</summary>
internal struct RawSyscall
{
    public int Pid;
    public int Tid;
    public int Number;
    public long EnterNs;
    public long ExitNs;
    public long Result;
    public SyscallArgs Args;
}
