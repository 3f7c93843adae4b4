namespace GpuOsSpec.Tracing.Model;

/// <summary>The role of a syscall by name. An ioctl's role comes from its decoded request instead.</summary>
public static class SyscallRoles
{
    private static readonly Dictionary<string, SyscallRole> s_roles = Build();

    /// <summary>The role of <paramref name="syscallName"/>.</summary>
    public static SyscallRole Of(string syscallName) =>
        s_roles.TryGetValue(syscallName, out var role) ? role : SyscallRole.Other;

    /// <summary>The names that have a role other than <see cref="SyscallRole.Other"/>.</summary>
    public static IEnumerable<KeyValuePair<string, SyscallRole>> Known => s_roles;

    private static Dictionary<string, SyscallRole> Build()
    {
        var map = new Dictionary<string, SyscallRole>(StringComparer.Ordinal);
        void Add(SyscallRole role, params string[] names)
        {
            foreach (string name in names)
            {
                map[name] = role;
            }
        }
        Add(SyscallRole.Memory, "mmap", "munmap", "mprotect", "madvise", "brk", "mremap", "mlock", "munlock", "mlock2",
            "mlockall", "munlockall", "msync", "mincore", "memfd_create", "userfaultfd", "set_mempolicy", "mbind",
            "get_mempolicy", "move_pages", "migrate_pages", "process_madvise", "pkey_mprotect", "remap_file_pages");
        Add(SyscallRole.Synchronization, "futex", "futex_waitv", "futex_wait", "futex_wake", "futex_requeue", "poll",
            "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl", "epoll_create",
            "epoll_create1", "eventfd", "eventfd2", "set_robust_list", "get_robust_list", "io_uring_enter", "wait4",
            "waitid", "rt_sigtimedwait", "pause", "rt_sigsuspend");
        Add(SyscallRole.Scheduling, "sched_yield", "nanosleep", "clock_nanosleep", "sched_setaffinity",
            "sched_getaffinity", "sched_setscheduler", "sched_getscheduler", "sched_setparam", "sched_getparam",
            "sched_setattr", "sched_getattr", "sched_get_priority_max", "sched_get_priority_min", "setpriority",
            "getpriority", "membarrier");
        Add(SyscallRole.DeviceFileIo, "openat", "open", "openat2", "creat", "read", "write", "pread64", "pwrite64",
            "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2", "close", "close_range", "lseek", "fstat",
            "newfstatat", "stat", "lstat", "statx", "fcntl", "dup", "dup2", "dup3", "readlink", "readlinkat", "access",
            "faccessat", "faccessat2", "getdents64", "pipe", "pipe2", "sendfile", "fsync", "fdatasync");
        return map;
    }
}
