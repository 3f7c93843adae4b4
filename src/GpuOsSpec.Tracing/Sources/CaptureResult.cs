namespace GpuOsSpec.Tracing.Sources;

/// <summary>
/// What one capture backend recorded, before decoding and attribution: the one shape every source hands to
/// <see cref="TraceBuilder"/>. A figure a source did not measure is left null or unflagged, never zero.
/// </summary>
internal sealed class CaptureResult
{
    internal required CaptureSourceKind Source { get; init; }
    internal required CaptureMode Mode { get; init; }

    /// <summary>False when the source saw no syscalls at all (the /proc counters).</summary>
    internal bool SyscallsMeasured { get; init; } = true;

    /// <summary>Paired syscalls; in hybrid mode the decode set only.</summary>
    internal List<RawSyscall> Syscalls { get; init; } = [];

    /// <summary>The name the source printed for record i, where the number alone may lose it (strace).</summary>
    internal Func<int, string>? NameOf { get; init; }

    /// <summary>Entries and exits that met no partner in their own buffer; the builder pairs them.</summary>
    internal List<RawSyscall> OrphanEnters { get; init; } = [];
    internal List<RawSyscall> OrphanExits { get; init; } = [];

    /// <summary>Calls and errors counted in the kernel without events (hybrid mode), by name.</summary>
    internal Dictionary<string, (long Calls, long Errors)>? Counters { get; init; }

    /// <summary>The probes' own syscalls (uprobe, uretprobe) counted in the kernel instead of recorded (full mode), by
    /// name; null when none were counted so.</summary>
    internal IReadOnlyDictionary<string, long>? ProbeSyscallsCounted { get; init; }

    internal FdTable Fds { get; init; } = new();

    /// <summary>Thread id to (process id, name), as the source learned them.</summary>
    internal Dictionary<int, (int Pid, string Name)> Threads { get; init; } = [];

    /// <summary>Thread and process births during the capture.</summary>
    internal List<(int Pid, int Tid, int ParentTid, long TimeNs)> Forks { get; init; } = [];

    internal List<ContextSwitchEvent> Switches { get; init; } = [];
    internal bool SwitchesRecorded { get; init; }

    /// <summary>Threads arriving on (In) and leaving a CPU (Runnable: still runnable); null where the source did not
    /// record them.</summary>
    internal List<(int Tid, long TimeNs, bool In, bool Runnable)>? CpuEdges { get; init; }

    /// <summary>Each thread's first sample (a thread that made one was running then).</summary>
    internal Dictionary<int, long> FirstSampleNs { get; init; } = [];

    /// <summary>True when the events began at the command's exec (its first sample, the exec's return), not at the
    /// capture's start.</summary>
    internal bool EventsFromExec { get; init; }

    /// <summary>Thread exits the source saw (they close a thread's last on-CPU slice).</summary>
    internal List<(int Tid, long TimeNs)> Exits { get; init; } = [];
    internal List<PageFaultEvent> Faults { get; init; } = [];
    internal bool FaultsRecorded { get; init; }

    /// <summary>Whole-capture totals the source measured another way (rusage for commands); null where it did
    /// not.</summary>
    internal Measurement? Voluntary { get; init; }
    internal Measurement? Involuntary { get; init; }
    internal Measurement? MinorFaults { get; init; }
    internal Measurement? MajorFaults { get; init; }

    /// <summary>Events lost, as reported or as found missing by a cross-check.</summary>
    internal long Lost { get; init; }

    /// <summary>Hybrid mode: counts its syscall counter lost in the kernel (processes it could not follow, program runs
    /// the kernel skipped); part of <see cref="Lost"/> too.</summary>
    internal long SyscallCounterLost { get; init; }

    /// <summary>Counts the kernel's API counter lost (calls nested too deep, its ring buffer full, skipped program
    /// runs); part of <see cref="Lost"/> too.</summary>
    internal long ApiCounterLost { get; init; }

    /// <summary>Why events may have been lost in a number nobody reported, or null.</summary>
    internal string? UnreportedLoss { get; init; }

    /// <summary>For a command: the positive control the source checked itself (seen, expected, what), or
    /// null.</summary>
    internal (int Seen, int Expected, string What)? Control { get; init; }

    /// <summary>Why the capture stopped short (its own failure), or null.</summary>
    internal string? Failure { get; init; }

    internal List<string> Notes { get; init; } = [];

    /// <summary>API probe hits (thread, time, function index, return), when API calls were probed; null when
    /// not.</summary>
    internal List<(int Tid, long TimeNs, int Function, bool Return)>? ApiHits { get; init; }

    /// <summary>API calls counted in the kernel, one record per call, when API calls were probed that way; null when
    /// not (then <see cref="ApiHits"/> holds the perf samples, if probed).</summary>
    internal List<KernelApiRecord>? KernelApiCalls { get; init; }

    /// <summary>The probed API functions by index.</summary>
    internal IReadOnlyList<(string Name, string Library)> ApiFunctions { get; init; } = [];

    /// <summary>Successful execs (process, thread, time of the return), where the source records them: perf, in every
    /// mode.</summary>
    internal List<(int Pid, int Tid, long TimeNs)> Execs { get; init; } = [];

    /// <summary>Hybrid mode's phase counter: what it read, with the syscalls of the decode set (recorded per event)
    /// left out; null when it did not run.</summary>
    internal KernelPhaseCapture? KernelPhases { get; init; }

    /// <summary>True when the capture was asked to cross-check full mode's per-phase figures against the kernel's phase
    /// counter (CaptureOptions.CrossCheckPhases).</summary>
    internal bool PhaseCrossCheckAsked { get; init; }

    /// <summary>The phase counter's reading for the cross-check, every syscall included; null when it did not
    /// run (<see cref="PhaseCrossCheckUnavailable"/> says why). Never the trace's figures.</summary>
    internal KernelPhaseCapture? PhaseCrossCheckCounts { get; init; }

    /// <summary>When the phase counter stopped counting switches and faults (CLOCK_MONOTONIC ns), or null: no counter
    /// ran, or its cut came too late to bound both sides (the cross-check then does not compare them).</summary>
    internal long? PhaseActivityCutNs { get; init; }

    /// <summary>Why the cross-check's phase counter did not run, or null.</summary>
    internal string? PhaseCrossCheckUnavailable { get; init; }

    /// <summary>gpuos markers, when the source probed a gpuos library; null when it did not.</summary>
    internal List<MarkerRecord>? Markers { get; init; }
}
