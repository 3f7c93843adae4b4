namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>One entry of phases.bpf.c's gos_phase map (phases.h's struct gos_phase_val), summed over the counting
/// thread's own phase paths, with the on-CPU stretches that <paramref name="Tid"/>'s markers ended (which their ring
/// buffer records carry instead): what the thread did while the open set was <paramref name="Set"/>.</summary>
/// <param name="Set">The open set when each count was taken (a switch away, a fault, the start of an on-CPU
/// stretch).</param>
/// <param name="Tid">The thread.</param>
/// <param name="Voluntary">Switches away while blocked.</param>
/// <param name="Involuntary">Switches away while still runnable.</param>
/// <param name="MinorFaults">Minor page faults.</param>
/// <param name="MajorFaults">Major page faults.</param>
/// <param name="OnCpuNs">On-CPU nanoseconds of the stretches that began under the set (a stretch ends at the thread's
/// own switches, markers and exec only).</param>
internal readonly record struct KernelActivityCell(ulong Set, int Tid, long Voluntary, long Involuntary, long MinorFaults, long MajorFaults, long OnCpuNs);
