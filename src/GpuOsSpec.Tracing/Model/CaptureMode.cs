namespace GpuOsSpec.Tracing.Model;

/// <summary>How a capture recorded syscalls.</summary>
public enum CaptureMode
{
    /// <summary>perf: every syscall an event, with its duration.</summary>
    Full,

    /// <summary>perf: the decode set per event, every other syscall counted in the kernel by eBPF.</summary>
    Hybrid,

    /// <summary>strace: every syscall, decoded by strace; switches and faults from rusage or /proc.</summary>
    Strace,

    /// <summary>/proc and rusage counters only: no syscalls.</summary>
    Counters,
}
