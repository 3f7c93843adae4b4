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

    // The ring buffer's records of the two runs: each begin adds its run to the open set, each end removes it.
    internal static List<KernelPhaseEvent> Markers() =>
    [
        new(KernelPhaseEvent.Marker, Main, Main, 1, RunA, 1, 0, Mix(RunA)),
        new(KernelPhaseEvent.Marker, Main, Main, 2, RunA, 2, Mix(RunA), 0),
        new(KernelPhaseEvent.Marker, Main, Main, 3, RunB, 1, 0, Mix(RunB)),
        new(KernelPhaseEvent.Marker, Main, Main, 4, RunB, 2, Mix(RunB), 0),
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

    internal static Trace Build(List<RawSyscall> events, List<KernelSyscallCell>? cells, long lost = 0, string? unavailable = null, bool asked = true) =>
        TraceBuilder.From(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            Syscalls = events,
            PhaseCrossCheckAsked = asked,
            PhaseCrossCheckCounts = cells is null ? null : new KernelPhaseCapture(Markers(), cells, lost, lost > 0 ? ["hybrid mode's phase counter: 3 syscall count(s) were lost because the kernel's per-phase map was full; they are counted as lost."] : []),
            PhaseCrossCheckUnavailable = unavailable,
        }, new CaptureTarget { Target = "t", StartNs = 0, EndNs = 10_000, Phases = Runs, WorkloadTids = new HashSet<int> { Main, Helper } });

}
