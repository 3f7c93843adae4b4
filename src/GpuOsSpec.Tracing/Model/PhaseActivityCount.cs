namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// What one thread did while a set of phase runs was open, counted in the kernel without events (hybrid mode's phase
/// counter, phases.bpf.c's gos_phase): a phase's view holds it when one of its runs is among <paramref name="Runs"/>,
/// as a switch or fault recorded per event belongs to the view when it falls in one of the runs' windows.
/// </summary>
/// <param name="Tid">The thread.</param>
/// <param name="VoluntarySwitches">Switches away while blocked (counted at the switch).</param>
/// <param name="InvoluntarySwitches">Switches away while still runnable: preempted or yielding.</param>
/// <param name="MinorFaults">Minor page faults.</param>
/// <param name="MajorFaults">Major page faults.</param>
/// <param name="OnCpuNs">On-CPU nanoseconds of the thread's stretches that began while these runs were open. A stretch
/// ends only at the thread's own switches, markers and exec, so a thread running across another thread's marker has
/// the whole stretch here: for the threads that open and close a phase's runs it is the time inside them, for other
/// threads it is not the overlap a view's <see cref="TraceView.OnCpuNs"/> gives.</param>
/// <param name="Runs">The phase runs open when they were counted (empty: none).</param>
public sealed record PhaseActivityCount(int Tid, long VoluntarySwitches, long InvoluntarySwitches, long MinorFaults, long MajorFaults, long OnCpuNs,
    IReadOnlyList<Phase> Runs);
