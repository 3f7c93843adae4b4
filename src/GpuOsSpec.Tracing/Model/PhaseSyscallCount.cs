namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// Calls of one syscall by one thread that the kernel counted without events (hybrid mode's phase counter), with the
/// phase runs open anywhere in the traced tree when they were counted: a phase's view holds them when one of its runs
/// is among <paramref name="Runs"/>, as a call recorded per event belongs to it when it falls in one of the runs'
/// windows.
/// </summary>
/// <param name="Tid">The calling thread.</param>
/// <param name="Name">The syscall.</param>
/// <param name="Calls">Calls counted.</param>
/// <param name="Errors">Calls that returned an error.</param>
/// <param name="Runs">The phase runs open when the calls returned (empty: none).</param>
public sealed record PhaseSyscallCount(int Tid, string Name, long Calls, long Errors, IReadOnlyList<Phase> Runs);
