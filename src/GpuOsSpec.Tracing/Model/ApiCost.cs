namespace GpuOsSpec.Tracing.Model;

/// <summary>The OS cost of one API function over a view: calls, events inside them, and how many calls left no
/// kernel-visible event.</summary>
/// <param name="Name">The function.</param>
/// <param name="Library">Its library.</param>
/// <param name="Calls">Calls that started in the view.</param>
/// <param name="OsInvisible">Calls with no syscall, context switch or fault inside; null when faults or the syscalls
/// inside the calls were not measured (a call with no recorded syscall or switch may have faulted, or made a syscall
/// that was not recorded).</param>
/// <param name="Syscalls">Syscalls inside the calls; null when not all of them were measured
/// (<see cref="Trace.ApiSyscallsUnmeasured"/>: calls joined from perf samples in hybrid mode).</param>
/// <param name="Ioctls">Of
/// which ioctls.</param>
/// <param name="VoluntarySwitches">Voluntary context switches inside.</param>
/// <param name="InvoluntarySwitches">Involuntary ones.</param>
/// <param name="PageFaults">Page faults inside; null when not measured (<see cref="Trace.ApiFaultsMeasured"/>).</param>
/// <param name="TimeNs">Time in the calls that returned.</param>
public sealed record ApiCost(string Name, string Library, long Calls, long? OsInvisible, long? Syscalls, long Ioctls, long VoluntarySwitches,
    long InvoluntarySwitches, long? PageFaults, long TimeNs)
{
    /// <summary>The share of calls that left no kernel-visible event, 0 to 1; null when <see cref="OsInvisible"/> was
    /// not measured.</summary>
    public double? OsInvisibleShare => OsInvisible is not { } invisible ? null : Calls == 0 ? 0 : (double)invisible / Calls;

    /// <summary>Syscalls per call; null when <see cref="Syscalls"/> was not measured.</summary>
    public double? SyscallsPerCall => Syscalls is not { } syscalls ? null : Calls == 0 ? 0 : (double)syscalls / Calls;
}
