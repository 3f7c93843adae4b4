namespace GpuOsSpec.Tracing.Model;

/// <summary>Which capture source records syscalls.</summary>
public enum CaptureSourceKind
{
    /// <summary>The most precise source the machine permits: perf, else strace, else /proc counters alone.</summary>
    Auto,
    /// <summary>perf tracepoints (raw_syscalls, syscalls:*, sched_switch, page-fault software events).</summary>
    Perf,
    /// <summary>strace attached to the target: exact but slow.</summary>
    Strace,
    /// <summary>/proc and rusage counters only: no syscalls.</summary>
    Proc,
}
