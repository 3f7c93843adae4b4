namespace GpuOsSpec.Tracing.Sources;

/// <summary>How perf records syscalls.</summary>
public enum PerfMode
{
    /// <summary>
    /// Syscalls that decoding needs (ioctl, the mmap family, open/close, futex, poll, sleeps, yields) are recorded per
    /// event; every other syscall is counted in the kernel by eBPF programs on raw_syscalls. The default for child
    /// commands.
    /// </summary>
    Hybrid,
    /// <summary>Every syscall is recorded per event (raw_syscalls enter and exit). The default in-process, where phases
    /// need timestamps.</summary>
    Full,
}
