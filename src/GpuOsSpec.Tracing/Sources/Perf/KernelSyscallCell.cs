namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>One entry of phases.bpf.c's gos_sys map, summed over the counting thread's own phase paths: calls of
/// syscall <paramref name="Number"/> by <paramref name="Tid"/> while the open set was <paramref name="Set"/>.</summary>
internal readonly record struct KernelSyscallCell(ulong Set, int Tid, int Number, long Calls, long Errors);
