namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// One call of a vendor API entry point (cuLaunchKernel, clFinish, ...), seen through entry and return uprobes, with
/// the kernel-visible events its thread had between them (nested API calls' events go to the innermost call).
/// </summary>
/// <param name="Name">The function.</param>
/// <param name="Library">The library's soname (libcuda.so.1).</param>
/// <param name="Tid">The calling thread.</param>
/// <param name="StartNs">CLOCK_MONOTONIC nanoseconds at entry.</param>
/// <param name="EndNs">At return, or -1 when the call had not returned when the capture ended.</param>
public sealed record ApiCall(string Name, string Library, int Tid, long StartNs, long EndNs)
{
    /// <summary>Syscalls inside the call: every one when counted in the kernel; from perf samples, those recorded per
    /// event (in hybrid mode, the decode set only).</summary>
    public int Syscalls { get; init; }

    /// <summary>Of which ioctls.</summary>
    public int Ioctls { get; init; }

    /// <summary>Voluntary context switches of the thread inside the call (it blocked).</summary>
    public int VoluntarySwitches { get; init; }

    /// <summary>Involuntary ones (preempted).</summary>
    public int InvoluntarySwitches { get; init; }

    /// <summary>Page faults of the thread inside the call; null when the capture could not see them (attributed from
    /// perf samples with fault events off, <c>--no-fault-events</c>).</summary>
    public int? PageFaults { get; init; }

    /// <summary>True when the call returned within the capture.</summary>
    public bool Finished => EndNs >= 0;

    /// <summary>True when the call left at least one kernel-visible event (syscall, switch or fault); null when it left
    /// no syscall or switch and its faults were not measured, since a fault would have made it visible.</summary>
    public bool? OsVisible => Syscalls + VoluntarySwitches + InvoluntarySwitches > 0 ? true : PageFaults is { } faults ? faults > 0 : null;

    /// <summary>Nanoseconds from entry to return, or null.</summary>
    public long? DurationNs => Finished ? EndNs - StartNs : null;
}
