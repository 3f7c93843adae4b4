using GpuOsSpec.Tracing.Building;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Syscalls;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;

namespace GpuOsSpec.Tracing.Tests.Support;

/// <summary>
/// Full-mode captures built by hand for the phase cross-check: one gpuos phase "step" (two runs on thread 7,
/// [1000, 2000) and [3000, 4000)), its calls recorded per event, and the phase counter's reading of the same calls,
/// which a test may doctor.
/// </summary>
internal static class CrossCheckCaptures
{
    internal const int Main = 7;
    internal const int Helper = 8;
    internal const ulong RunA = 11;
    internal const ulong RunB = 12;

    internal static int Nr(string name) => SyscallTable.X64.Number(name)!.Value;

    // phases.h's gos_mix: the open set is the sum of its runs' mixes.
    internal static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebUL;
        x ^= x >> 31;
        return x;
    }

    internal static readonly Phase[] Runs =
    [
        new Phase("step", "step", 1000, 2000, Main) { Origin = PhaseOrigin.GpuOsMarkers, BeginSequence = 1 },
        new Phase("step", "step", 3000, 4000, Main) { Origin = PhaseOrigin.GpuOsMarkers, BeginSequence = 3 },
    ];

    // The ring buffer's records of the two runs: each begin adds its run to the open set, each end removes it, timed
    // where the runs' edges are, the set changing within the 2 ns before each.
    internal static List<KernelPhaseEvent> Markers() =>
    [
        new(KernelPhaseEvent.Marker, Main, Main, 1, RunA, 1, 0, Mix(RunA)) { TimeNs = 1000, BracketNs = 998 },
        new(KernelPhaseEvent.Marker, Main, Main, 2, RunA, 2, Mix(RunA), 0) { TimeNs = 2000, BracketNs = 1998 },
        new(KernelPhaseEvent.Marker, Main, Main, 3, RunB, 1, 0, Mix(RunB)) { TimeNs = 3000, BracketNs = 2998 },
        new(KernelPhaseEvent.Marker, Main, Main, 4, RunB, 2, Mix(RunB), 0) { TimeNs = 4000, BracketNs = 3998 },
    ];

    // Witness mode's record of one counted switch or fault (kind: phases.h's gos_activity_kind), the set read between
    // TIME and BRACKET.
    internal static KernelPhaseEvent Witness(int tid, int kind, ulong set, long time, long bracket) =>
        new(KernelPhaseEvent.Activity, Main, tid, 0, 0, kind, set, set) { TimeNs = time, BracketNs = bracket };

    // Witness records of every count in Activity(), each read 1 ns after full mode's event.
    internal static List<KernelPhaseEvent> Witnesses() =>
    [
        Witness(Main, 1, Mix(RunA), 1401, 1402),
        Witness(Helper, 2, Mix(RunA), 1501, 1502),
        Witness(Main, 1, 0, 2601, 2602),
        Witness(Main, 3, Mix(RunA), 1051, 1052),
        Witness(Main, 3, Mix(RunA), 1061, 1062),
        Witness(Helper, 3, Mix(RunA), 1701, 1702),
        Witness(Main, 4, Mix(RunB), 3301, 3302),
        Witness(Main, 3, 0, 2701, 2702),
    ];

    internal static RawSyscall Call(int tid, string name, long enter, long exit, long result = 0) =>
        new() { Pid = Main, Tid = tid, Number = Nr(name), EnterNs = enter, ExitNs = exit, Result = result };

    // Full mode's events: 2 getppid in run A, 1 in run B, 1 outside; a read that failed in run A; and exit_group at the
    // end.
    internal static List<RawSyscall> Events() =>
    [
        Call(Main, "getppid", 1100, 1110),
        Call(Main, "getppid", 1200, 1210),
        Call(Main, "getppid", 3100, 3110),
        Call(Main, "getppid", 2500, 2510),
        Call(Main, "read", 1300, 1310, -11),
        Call(Main, "exit_group", 5000, -1),
    ];

    // The counter's reading of the same calls, as it keys them: by open set, thread and number.
    internal static List<KernelSyscallCell> Cells() =>
    [
        new(Mix(RunA), Main, Nr("getppid"), 2, 0),
        new(Mix(RunB), Main, Nr("getppid"), 1, 0),
        new(0, Main, Nr("getppid"), 1, 0),
        new(Mix(RunA), Main, Nr("read"), 1, 1),
        new(0, Main, Nr("exit_group"), 1, 0),
    ];

    // The switches and faults of the same run as events: in run A, main blocks once and takes 2 minor faults, the
    // helper is preempted once and takes 1 minor fault; in run B, main takes 1 major fault; outside, main blocks and
    // faults once more.
    internal static List<ContextSwitchEvent> Switches() =>
    [
        new(Main, 1400, true, 0),
        new(Helper, 1500, false, 1),
        new(Main, 2600, true, 0),
    ];

    internal static List<PageFaultEvent> Faults() =>
    [
        new(Main, 1050, false, 0x1000),
        new(Main, 1060, false, 0x2000),
        new(Helper, 1700, false, 0x3000),
        new(Main, 3300, true, 0x4000),
        new(Main, 2700, false, 0x5000),
    ];

    // The counter's gos_phase reading of the same switches and faults, by open set and thread (no on-CPU time).
    internal static List<KernelActivityCell> Activity() =>
    [
        new(Mix(RunA), Main, 1, 0, 2, 0, 0),
        new(Mix(RunA), Helper, 0, 1, 1, 0, 0),
        new(Mix(RunB), Main, 0, 0, 0, 1, 0),
        new(0, Main, 1, 0, 1, 0, 0),
    ];

    // The helper's preemption is moved to run A's very end: full mode stamps it at 1999, inside the run; the kernel
    // read the open set just after run A's end had changed it (at 1998 to 2000), so it counted it outside.
    internal static (List<ContextSwitchEvent> Switches, List<KernelActivityCell> Activity, List<KernelPhaseEvent> Witnesses) HelperSwitchAtRunAsEnd(long kernelReadNs)
    {
        var switches = Switches();
        switches[1] = switches[1] with { TimeNs = 1999 };
        var activity = Activity();
        activity[1] = activity[1] with { Involuntary = 0 };
        activity.Add(new(0, Helper, 0, 1, 0, 0, 0));
        var witnesses = Witnesses();
        witnesses[1] = Witness(Helper, 2, 0, kernelReadNs, kernelReadNs + 1);
        return (switches, activity, witnesses);
    }

    internal static Trace Build(List<RawSyscall> events, List<KernelSyscallCell>? cells, long lost = 0, string? unavailable = null, bool asked = true,
        List<KernelActivityCell>? activity = null, string? activityUnavailable = null, bool faultsRecorded = true, long? activityCutNs = 10_000,
        List<ContextSwitchEvent>? switches = null, List<KernelPhaseEvent>? witnesses = null) =>
        TraceBuilder.From(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            Syscalls = events,
            Switches = switches ?? Switches(),
            SwitchesRecorded = true,
            Faults = faultsRecorded ? Faults() : [],
            FaultsRecorded = faultsRecorded,
            PhaseCrossCheckAsked = asked,
            PhaseCrossCheckCounts = cells is null ? null : new KernelPhaseCapture([.. Markers(), .. witnesses ?? []], cells, lost, lost > 0 ? ["hybrid mode's phase counter: 3 syscall count(s) were lost because the kernel's per-phase map was full; they are counted as lost."] : [])
            {
                Activity = activity,
                ActivityUnavailable = activity is null ? activityUnavailable ?? "the kernel's switch and fault programs could not be attached (a test)" : null,
            },
            PhaseCrossCheckUnavailable = unavailable,
            PhaseActivityCutNs = activityCutNs,
        }, new CaptureTarget { Target = "t", StartNs = 0, EndNs = 10_000, Phases = Runs, WorkloadTids = new HashSet<int> { Main, Helper } });

    // The default (hybrid) mode's capture of the same run: the counter's syscall cells and, unless null, its gos_phase
    // reading (with the counts it lost); switches and faults as events only where recorded.
    internal static Trace Hybrid(List<KernelActivityCell>? activity, string? activityUnavailable = null, bool faultsRecorded = false, bool switchesRecorded = true,
        bool counterRan = true, IReadOnlyList<Phase>? phases = null, long counterLost = 0) =>
        TraceBuilder.From(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Hybrid,
            Syscalls = [],
            Threads = new Dictionary<int, (int Pid, string Name)> { [Main] = (Main, "prog"), [Helper] = (Main, "prog") },
            Switches = switchesRecorded ? Switches() : [],
            SwitchesRecorded = switchesRecorded,
            Faults = faultsRecorded ? Faults() : [],
            FaultsRecorded = faultsRecorded,
            MinorFaults = faultsRecorded ? null : new Measurement(9, "rusage"),
            MajorFaults = faultsRecorded ? null : new Measurement(1, "rusage"),
            Voluntary = switchesRecorded ? null : new Measurement(5, "rusage"),
            Involuntary = switchesRecorded ? null : new Measurement(2, "rusage"),
            Lost = counterLost,
            KernelPhases = counterRan ? new KernelPhaseCapture(Markers(), Cells(), counterLost,
                counterLost > 0 ? ["hybrid mode's phase counter: 2 syscall, switch, fault or on-CPU count(s) were lost because a kernel per-phase map (gos_sys or gos_phase) was full; they are counted as lost."] : [])
            {
                Activity = activity,
                ActivityUnavailable = activity is null ? activityUnavailable ?? "the kernel's switch and fault programs could not be attached (a test)" : null,
            } : null,
        }, new CaptureTarget { Target = "t", StartNs = 0, EndNs = 10_000, Phases = phases ?? Runs, WorkloadTids = new HashSet<int> { Main, Helper } });
}
