namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// A phase path's on-CPU time both ways, side by side and not held equal (<see cref="PhaseCrossCheck"/>). Full mode's
/// is each thread's time on a CPU inside the path's runs, from the switch records. The kernel's phase counter ends a
/// thread's on-CPU stretch only at that thread's own switches, markers and exec, and gives the whole stretch to the
/// runs open when it began; and it reads its own clock at each edge, not the switch record's. So on the threads that
/// open and close the path's runs (<see cref="OpenersFullNs"/>, <see cref="OpenersKernelNs"/>) the two differ only by
/// those clock reads (taken at different points of a marker's handling, so a phase of many short runs adds the gap up
/// run by run) and by a thread still on its CPU when the capture ended (whose last stretch the kernel never ends); on
/// other threads a stretch that runs across another thread's marker lands wholly on one side of it.
/// </summary>
/// <param name="Path">The phase path.</param>
/// <param name="FullNs">Full mode's on-CPU nanoseconds in the path's runs, over every thread.</param>
/// <param name="KernelNs">The kernel's, over every thread.</param>
/// <param name="OpenersFullNs">Full mode's, on the threads that opened one of the path's runs only.</param>
/// <param name="OpenersKernelNs">The kernel's, on those threads only.</param>
public sealed record PhaseCrossCheckTime(string Path, long FullNs, long KernelNs, long OpenersFullNs, long OpenersKernelNs);
