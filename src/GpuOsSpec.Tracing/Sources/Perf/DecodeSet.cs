namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// The syscalls hybrid mode records one by one: those whose arguments decoding needs (ioctl requests and fds, mappings,
/// fd paths), those whose timing the hypotheses look at (waits, sleeps, yields), and those that start a process image
/// (an exec's return ends every gpuos phase the old image left open).
/// </summary>
public static class DecodeSet
{
    /// <summary>The syscall names recorded per event in hybrid mode.</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ioctl", "mmap", "munmap", "mprotect", "mremap", "madvise", "brk",
        "open", "openat", "openat2", "close", "dup", "dup2", "dup3",
        "futex", "futex_waitv", "poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2",
        "sched_yield", "nanosleep", "clock_nanosleep", "execve", "execveat", "clone", "clone3", "fork", "vfork",
    };
}
