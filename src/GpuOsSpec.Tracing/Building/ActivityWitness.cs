namespace GpuOsSpec.Tracing.Building;

/// <summary>
/// One switch or fault the kernel's phase counter counted, as its witness-mode record says (phases.h's
/// GOS_EV_ACTIVITY): the thread, which count, and the runs open in the set it was counted under; the set was read
/// between <see cref="TimeNs"/> and <see cref="BracketNs"/>.
/// </summary>
/// <param name="Tid">The thread.</param>
/// <param name="Figure">The cross-check's figure name ("voluntarySwitches", "involuntarySwitches", "minorFaults",
/// "majorFaults").</param>
/// <param name="TimeNs">The clock read just before the set was read.</param>
/// <param name="BracketNs">The clock read after it.</param>
/// <param name="Runs">The phase runs of that set.</param>
internal sealed record ActivityWitness(int Tid, string Figure, long TimeNs, long BracketNs, IReadOnlyList<Model.Phase> Runs);
