namespace GpuOsSpec.Tracing.Model;

/// <summary>A page fault taken by a thread.</summary>
/// <param name="Tid">The faulting thread.</param>
/// <param name="TimeNs">CLOCK_MONOTONIC nanoseconds.</param>
/// <param name="Major">True for a major fault (needed I/O).</param>
/// <param name="Address">The faulting address.</param>
public readonly record struct PageFaultEvent(int Tid, long TimeNs, bool Major, ulong Address);
