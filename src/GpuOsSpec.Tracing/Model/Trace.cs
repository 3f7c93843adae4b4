namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// Everything one capture saw of a process: threads, phases, syscalls, context switches, page faults,
/// mapping changes and .NET runtime events, with what was measured exactly and what was not.
/// Query it through <see cref="View"/>.
/// </summary>
public sealed class Trace
{
    /// <summary>The version of the JSON schema this model exports to.</summary>
    public const string SchemaVersion = "gpuosspec.trace/2";

    /// <summary>The capture source that produced the syscall records: perf, strace or proc.</summary>
    public required CaptureSourceKind Source { get; init; }

    /// <summary>How syscalls were recorded: every one an event, the decode set per event and the rest counted, by
    /// strace, or not at all.</summary>
    public required CaptureMode Mode { get; init; }

    /// <summary>What was traced: "pid N (this process)" or the command line.</summary>
    public required string Target { get; init; }

    /// <summary>x86_64 or aarch64.</summary>
    public required string Architecture { get; init; }

    /// <summary>The kernel release (uname -r).</summary>
    public required string KernelRelease { get; init; }

    /// <summary>CLOCK_MONOTONIC nanoseconds at the start of the capture window.</summary>
    public required long StartNs { get; init; }

    /// <summary>CLOCK_MONOTONIC nanoseconds at the end of the capture window.</summary>
    public required long EndNs { get; init; }

    /// <summary>Hybrid mode: the syscalls outside the decode set, counted in the kernel per thread and per set of open
    /// phase runs (empty unless <see cref="PhaseSyscallsCounted"/>).</summary>
    public IReadOnlyList<PhaseSyscallCount> PhaseSyscallCounts { get; init; } = [];

    /// <summary>True when hybrid mode's phase counter ran and every count it made was placed in its phase runs, so a
    /// phase's (or a thread's) view has the syscalls the kernel only counted.</summary>
    public bool PhaseSyscallsCounted { get; init; }

    /// <summary>Hybrid mode: each thread's context switches, page faults and on-CPU time, counted in the kernel per set
    /// of open phase runs (empty unless <see cref="PhaseActivityCounted"/>).</summary>
    public IReadOnlyList<PhaseActivityCount> PhaseActivityCounts { get; init; } = [];

    /// <summary>True when hybrid mode's phase counter counted switches, faults and on-CPU time and placed every count
    /// in its phase runs, so a phase's view has switches and faults where they were not recorded as events.</summary>
    public bool PhaseActivityCounted { get; init; }

    /// <summary>Why the kernel's per-phase switches and faults are not in the trace (the counter did not run or count
    /// them, or its counts could not be placed), or null when <see cref="PhaseActivityCounted"/>.</summary>
    public string? PhaseActivityUnmeasured { get; init; }

    /// <summary>The per-phase cross-check of a full-mode trace against the kernel's phase counter on the same run, or
    /// null when it was not asked for (CaptureOptions.CrossCheckPhases). Its counts are in it alone: the trace's
    /// figures stay full mode's.</summary>
    public PhaseCrossCheck? PhaseCrossCheck { get; init; }

    /// <summary>Every thread seen.</summary>
    public required IReadOnlyList<TraceThread> Threads { get; init; }

    /// <summary>The phases, in the order they started.</summary>
    public required IReadOnlyList<Phase> Phases { get; init; }

    /// <summary>Vendor API calls seen through uprobes, with the events inside each; empty unless
    /// <see cref="ApiCallsRecorded"/>.</summary>
    public IReadOnlyList<ApiCall> ApiCalls { get; init; } = [];

    /// <summary>True when the capture probed vendor API entry points (<c>--api</c>,
    /// CaptureOptions.ApiLibraries).</summary>
    public bool ApiCallsRecorded { get; init; }

    /// <summary>True when the API calls were counted in the kernel (api.bpf.c, <c>--api</c> where eBPF loads): each
    /// call holds every syscall, context switch and page fault its thread made while it was the innermost open call,
    /// whatever the mode records per event. False when they were joined from perf samples (<c>--api-samples</c>, or the
    /// counter could not load: the notes say why), where a call holds only the syscalls recorded as events.</summary>
    public bool ApiCallsCountedInKernel { get; init; }

    /// <summary>
    /// Why the syscalls inside the API calls are not all counted, with the fix; null when every call holds all of
    /// its syscalls: counted in the kernel (<see cref="ApiCallsCountedInKernel"/>), or joined from samples where every
    /// syscall is an event (full mode, strace). A counter that lost counts makes the whole trace inconclusive
    /// (<see cref="InconclusiveReason"/>).
    /// </summary>
    public string? ApiSyscallsUnmeasured =>
        !ApiCallsRecorded ? "API calls were not probed (trace with --api, CaptureOptions.ApiLibraries)"
        : ApiCallsCountedInKernel || Mode is CaptureMode.Full or CaptureMode.Strace ? null
        : $"the API calls were joined from perf samples, not counted in the kernel (--api-samples, or the kernel's API counter could not run: the notes say why), and {CaptureNames.Of(Mode)} mode does not record every syscall as an event, so the syscalls inside the calls are incomplete (drop --api-samples where eBPF loads, or use --mode full)";

    /// <summary>True when each API call's page faults were measured: counted in the kernel (api.bpf.c counts them by
    /// tracepoint whatever else is recorded), or joined from perf samples with fault events on. False otherwise, and
    /// then API calls' faults and OS-invisibility are not measured (null), never 0.</summary>
    public bool ApiFaultsMeasured { get; init; }

    /// <summary>The vendor libraries (sonames) whose entry points were probed; empty unless
    /// <see cref="ApiCallsRecorded"/>.</summary>
    public IReadOnlyList<string> ApiLibrariesProbed { get; init; } = [];

    /// <summary>True when the capture read gpuos markers (a probed libgpuos), whether or not the program made
    /// any.</summary>
    public bool MarkersRead { get; init; }

    /// <summary>Syscalls recorded one by one (in hybrid mode, only the decode set).</summary>
    public required IReadOnlyList<SyscallEvent> Syscalls { get; init; }

    /// <summary>Whole-capture totals per syscall name, per-event and counted together. Empty when
    /// <see cref="SyscallsMeasured"/> is false.</summary>
    public required IReadOnlyList<SyscallTotal> SyscallTotals { get; init; }

    /// <summary>False when no source could see syscalls (the /proc-only fallback).</summary>
    public required bool SyscallsMeasured { get; init; }

    /// <summary>Context switches one by one; empty unless <see cref="ContextSwitchEventsRecorded"/>.</summary>
    public required IReadOnlyList<ContextSwitchEvent> ContextSwitches { get; init; }

    /// <summary>True when every context switch was recorded as an event (perf).</summary>
    public required bool ContextSwitchEventsRecorded { get; init; }

    /// <summary>Page faults one by one; empty unless <see cref="PageFaultEventsRecorded"/>.</summary>
    public required IReadOnlyList<PageFaultEvent> PageFaults { get; init; }

    /// <summary>True when every page fault was recorded as an event (perf).</summary>
    public required bool PageFaultEventsRecorded { get; init; }

    /// <summary>When each traced thread ran on a CPU; empty unless <see cref="OnCpuRecorded"/>.</summary>
    public IReadOnlyList<CpuSlice> OnCpu { get; init; } = [];

    /// <summary>True when the capture saw every thread arrive on and leave its CPU (perf switch records).</summary>
    public bool OnCpuRecorded { get; init; }

    private Dictionary<int, CpuSlice[]>? _onCpuByTid;

    /// <summary>One thread's slices in time order (empty when none).</summary>
    internal CpuSlice[] OnCpuOf(int tid)
    {
        _onCpuByTid ??= OnCpu.GroupBy(s => s.Tid).ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartNs).ToArray());
        return _onCpuByTid.TryGetValue(tid, out var slices) ? slices : [];
    }

    /// <summary>Whole-capture voluntary context switches of the traced threads.</summary>
    public required Measurement VoluntarySwitches { get; init; }

    /// <summary>Whole-capture involuntary context switches of the traced threads.</summary>
    public required Measurement InvoluntarySwitches { get; init; }

    /// <summary>Whole-capture minor page faults.</summary>
    public required Measurement MinorFaults { get; init; }

    /// <summary>Whole-capture major page faults.</summary>
    public required Measurement MajorFaults { get; init; }

    /// <summary>Successful changes to the memory mappings, from the mmap family of syscalls.</summary>
    public required IReadOnlyList<MappingChange> MappingChanges { get; init; }

    /// <summary>.NET runtime events (EventPipe); empty unless <see cref="RuntimeEventsRecorded"/>.</summary>
    public required IReadOnlyList<RuntimeEvent> RuntimeEvents { get; init; }

    /// <summary>True when an EventPipe session ran alongside the capture.</summary>
    public required bool RuntimeEventsRecorded { get; init; }

    /// <summary>Per-thread /proc counters over the capture (in-process targets).</summary>
    public required IReadOnlyList<ThreadCounters> ThreadCounters { get; init; }

    /// <summary>Kernel events lost because a ring buffer overflowed, plus the counts hybrid mode's in-kernel counters
    /// lost (<see cref="CountersLost"/>). A trace with lost events is inconclusive.</summary>
    public required long LostEvents { get; init; }

    /// <summary>The part of <see cref="LostEvents"/> that hybrid mode's in-kernel counters (its syscall counter and its
    /// phase counter) lost (a full map, the phase counter's ring buffer full, a process the syscall counter could not
    /// follow, program runs the kernel skipped), which a larger perf buffer does not cure; the notes say
    /// which.</summary>
    public long CountersLost { get; init; }

    /// <summary>The part of <see cref="LostEvents"/> that the kernel's API counter lost (calls nested deeper than it
    /// keeps, its ring buffer full, program runs the kernel skipped, a loss stat it could not read); the notes say
    /// which. A larger perf buffer does not cure it.</summary>
    public long ApiCountsLost { get; init; }

    /// <summary>
    /// Why events may have been lost in a number the kernel never reported (a ring buffer was full at its last read,
    /// and the kernel writes its lost record only on a later write), or null.
    /// </summary>
    public string? UnreportedLoss { get; init; }

    /// <summary>The capture's positive control, or null where the source cannot have one (the /proc
    /// counters).</summary>
    public PositiveControl? Control { get; init; }

    /// <summary>.NET runtime events EventPipe dropped.</summary>
    public required long LostRuntimeEvents { get; init; }

    /// <summary>True when the capture did not run to its natural end (interrupted, target killed, tracer
    /// failed).</summary>
    public required bool Incomplete { get; init; }

    /// <summary>Why the capture is incomplete, or null.</summary>
    public string? IncompleteReason { get; init; }

    /// <summary>The traced command's exit code as a shell gives it (128 + the signal when a signal killed it), or
    /// null.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that killed the traced command, or null when it exited (or for in-process
    /// targets).</summary>
    public int? Signal { get; init; }

    /// <summary>What the reader must know: fallbacks taken and why, syscalls that could not be counted, unresolved
    /// fds.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>True when events were lost or the capture is incomplete: no assertion may pass on it.</summary>
    public bool IsInconclusive => InconclusiveReason is not null;

    /// <summary>Why the trace is inconclusive, or null when it is not.</summary>
    public string? InconclusiveReason =>
        LostEvents > CountersLost + ApiCountsLost ? $"{LostEvents - CountersLost - ApiCountsLost:N0} kernel events were lost (a ring buffer overflowed); raise the buffer size (CaptureOptions.BufferPages, --buffer-pages) or trace less"
            + (CountersLost > 0 ? $", and hybrid mode's in-kernel counters lost {CountersLost:N0} count(s) (the notes say where)" : "")
            + (ApiCountsLost > 0 ? $", and the kernel's API counter lost {ApiCountsLost:N0} count(s) (the notes say where)" : "")
        : CountersLost > 0 ? $"hybrid mode's in-kernel counters lost {CountersLost:N0} count(s) (the notes say where: a full map, a ring buffer, a process they could not follow, or program runs the kernel skipped); trace with --mode full"
            + (ApiCountsLost > 0 ? $", and the kernel's API counter lost {ApiCountsLost:N0} count(s)" : "")
        : ApiCountsLost > 0 ? $"the kernel's API counter lost {ApiCountsLost:N0} count(s) (the notes say where: calls nested deeper than it keeps, its ring buffer full, or program runs the kernel skipped), so the API calls' figures are not exact; --api-samples joins the calls from perf samples instead"
        : UnreportedLoss is not null ? $"events may have been lost in a number the kernel did not report: {UnreportedLoss}"
            + (Control is { Passed: false } missed ? $". Also, {ControlsMissed(missed)}" : "")
        : Control is { Passed: false } c ? ControlsMissed(c)
        : LostRuntimeEvents > 0 ? $"EventPipe dropped {LostRuntimeEvents:N0} .NET runtime events; raise the EventPipe buffer size"
        : Incomplete ? $"the capture is incomplete: {IncompleteReason}"
        : null;

    private static string ControlsMissed(PositiveControl c) =>
        $"the capture missed {c.Expected - c.Seen} of its {c.Expected} positive controls ({c.What}), so it could not see all it asserts about. " +
        "Another program may be suppressing raw_syscalls samples (an eBPF program attached to the tracepoint that returns 0: `bpftool perf` lists them); stop it, or trace with the strace source";

    /// <summary>A view over the whole capture and the default thread origins (workload and GPU runtime).</summary>
    public TraceView View() => new(this, null, ThreadOrigin.Default, null);

    /// <summary>A view over every thread of the whole capture.</summary>
    public TraceView AllThreads() => new(this, null, ThreadOrigin.All, null);

    /// <summary>A view over one phase and the default thread origins.</summary>
    /// <exception cref="ArgumentException">When no phase has that name or path; the message lists the phases there
    /// are.</exception>
    public TraceView Phase(string nameOrPath) => View().InPhase(nameOrPath);

    /// <summary>Finds a phase by path ("steady/inner") or by name when the name is unique; a phase that ran several
    /// times (a training step) gives its first run.</summary>
    /// <exception cref="ArgumentException">When none or several
    /// distinct phases match; the message lists the phases there are.</exception>
    public Phase FindPhase(string nameOrPath) => FindPhaseRuns(nameOrPath)[0];

    /// <summary>Every run of the phase with that path, or that name when the name is unique, in start order.</summary>
    /// <exception cref="ArgumentException">When none or several distinct phases match; the message lists the phases
    /// there are.</exception>
    public IReadOnlyList<Phase> FindPhaseRuns(string nameOrPath)
    {
        var byPath = Phases.Where(p => p.Path == nameOrPath).ToList();
        var matches = byPath.Count > 0 ? byPath : Phases.Where(p => p.Name == nameOrPath).ToList();
        string known = Phases.Count == 0 ? "the trace has no phases" : "the trace has: " + string.Join(", ", Phases.Select(p => p.Path).Distinct());
        bool onePath = matches.Select(p => p.Path).Distinct().Count() == 1;
        return matches.Count switch
        {
            > 0 when onePath => matches.OrderBy(p => p.StartNs).ToList(),
            0 => throw new ArgumentException($"No phase named \"{nameOrPath}\"; {known}.", nameof(nameOrPath)),
            _ => throw new ArgumentException($"The phase name \"{nameOrPath}\" is ambiguous ({matches.Select(p => p.Path).Distinct().Count()} phases); use its path. {known}.", nameof(nameOrPath)),
        };
    }

    /// <summary>The thread with <paramref name="tid"/>, or null.</summary>
    public TraceThread? Thread(int tid) => Threads.FirstOrDefault(t => t.Tid == tid);
}
