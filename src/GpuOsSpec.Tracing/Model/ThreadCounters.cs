namespace GpuOsSpec.Tracing.Model;

/// <summary>Per-thread kernel counters from /proc over the capture (end minus start).</summary>
/// <param name="Tid">The thread.</param>
/// <param name="VoluntarySwitches">voluntary_ctxt_switches delta.</param>
/// <param name="InvoluntarySwitches">nonvoluntary_ctxt_switches delta.</param>
/// <param name="MinorFaults">minflt delta.</param>
/// <param name="MajorFaults">majflt delta.</param>
public sealed record ThreadCounters(int Tid, long VoluntarySwitches, long InvoluntarySwitches, long MinorFaults, long MajorFaults);
