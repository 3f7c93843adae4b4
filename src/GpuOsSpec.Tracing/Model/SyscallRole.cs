namespace GpuOsSpec.Tracing.Model;

/// <summary>What a syscall does for a GPU runtime, the unit the interaction map is drawn in.</summary>
public enum SyscallRole
{
    /// <summary>mmap, munmap, mprotect, madvise, brk, mremap and the drivers' memory ioctls.</summary>
    Memory,
    /// <summary>Device ioctls that create or drive queues, channels, contexts and objects.</summary>
    SubmissionControl,
    /// <summary>futex, poll, epoll_wait, eventfd and the drivers' wait and event ioctls.</summary>
    Synchronization,
    /// <summary>sched_yield, nanosleep, clock_nanosleep, sched_setaffinity.</summary>
    Scheduling,
    /// <summary>openat of devices and files, read, write, close.</summary>
    DeviceFileIo,
    /// <summary>Everything else.</summary>
    Other,
}
