namespace GpuOsSpec.Tracing.Sources;

/// <summary>A syscall as a capture source pairs it: entry and exit, before decoding.</summary>
internal struct RawSyscall
{
    public int Pid;
    public int Tid;
    public int Number;
    public long EnterNs;
    public long ExitNs;
    public long Result;
    public Model.SyscallArgs Args;
}
