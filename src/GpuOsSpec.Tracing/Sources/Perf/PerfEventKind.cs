namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>What one opened perf event records.</summary>
internal enum PerfEventKind : byte
{
    SysEnter,
    SysExit,
    Switch,
    FaultMinor,
    FaultMajor,
    BpfSyscall,
    Marker,
    ApiEntry,
    ApiReturn,
}
