namespace GpuOsSpec.Tracing.Checks;

/// <summary>One line of a verdict's evidence: a syscall (or event) name, how often it came, and its first occurrence
/// with the thread.</summary>
/// <param name="What">The syscall, decoded ioctl, API function or event.</param>
/// <param name="Count">How often it came in the scope.</param>
/// <param name="Scope">The phase path, or "(whole run)".</param>
/// <param name="FirstAtMs">Its first occurrence, in milliseconds from the start of the scope's first judged run (or
/// of the capture).</param>
/// <param name="Tid">The thread of the first occurrence.</param>
/// <param name="Thread">That thread's name and origin ("python3 [Workload]"), or null when the trace does not know
/// it.</param>
public sealed record EvidenceItem(string What, long Count, string Scope, double? FirstAtMs, int? Tid, string? Thread);
