using GpuOsSpec.Tracing.Baselines;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>Hybrid mode's per-phase syscall counts (the kernel's phase counter) give each run of each gpuos phase the
/// figures full mode gives it from one event per syscall.</summary>
[Collection(SerialCollection.Name)]
public class KernelPhaseCountTests
{
    private static Trace Traced(PerfMode mode, string program, string[] args) =>
        CommandTracer.Run(program, args, new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode, GpuOsLibrary = NativePrograms.GpuOsLibrary });

    // Per phase path and per run (the runs from k on, for every k, so each run's own figure is fixed): getppid calls,
    // or "n/a" where not measured.
    private static List<string> PerRunGetppid(Trace trace)
    {
        var rows = new List<string>();
        foreach (string path in trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).Select(p => p.Path).Distinct().Order(StringComparer.Ordinal))
        {
            var view = trace.Phase(path);
            for (int k = 0; k < view.PhaseRuns.Count; k++)
            {
                rows.Add($"{path} from run {k + 1}: getppid {view.AfterRuns(k).Calls("getppid")}");
            }
        }
        return rows;
    }

    // Each run's own getppid calls: the runs from k on, less the runs from k + 1 on (a view holds runs from its first
    // on); null where either is not measured.
    private static List<long?> EachRunsGetppid(TraceView view)
    {
        var own = new List<long?>();
        for (int k = 0; k < view.PhaseRuns.Count; k++)
        {
            long? from = view.AfterRuns(k).Calls("getppid").Value;
            long? after = k + 1 < view.PhaseRuns.Count ? view.AfterRuns(k + 1).Calls("getppid").Value : 0;
            own.Add(from - after);
        }
        return own;
    }

    [SkippableTheory]
    [InlineData("markers", "4")]
    [InlineData("exec-markers", "")]
    [InlineData("fork-markers", "")]
    public void Each_runs_getppid_count_in_hybrid_mode_equals_full_modes(string name, string arg)
    {
        Requires.Perf();
        string program = name switch
        {
            "markers" => NativePrograms.Markers,
            "exec-markers" => NativePrograms.ExecMarkers,
            _ => NativePrograms.ForkMarkers,
        };
        string[] args = arg.Length > 0 ? [arg] : [];

        var full = Traced(PerfMode.Full, program, args);
        var hybrid = Traced(PerfMode.Hybrid, program, args);

        full.IsInconclusive.Should().BeFalse(full.InconclusiveReason);
        hybrid.IsInconclusive.Should().BeFalse(hybrid.InconclusiveReason);
        full.ExitCode.Should().Be(0, "a program (or its forked child) that died at a marker makes both modes agree on nothing");
        hybrid.ExitCode.Should().Be(0, "a program (or its forked child) that died at a marker makes both modes agree on nothing");
        hybrid.Mode.Should().Be(CaptureMode.Hybrid);
        hybrid.PhaseSyscallsCounted.Should().BeTrue(string.Join(" | ", hybrid.Notes));
        PerRunGetppid(hybrid).Should().Equal(PerRunGetppid(full));
        PerRunGetppid(hybrid).Should().NotContain(r => r.EndsWith("n/a", StringComparison.Ordinal));
    }

    // With the phase counter running, its sys_exit program makes the whole run's per-syscall counts and the decode-set
    // exit records too (the syscall counter's own exit program is not attached): a threaded storm's getppid are all
    // counted, and the cross-check of the decode set's records against those counts (clone3, mmap, munmap of the
    // threads) finds none missing.
    [SkippableFact]
    public void With_the_phase_counter_running_a_threaded_storm_is_counted_exactly_with_nothing_lost()
    {
        Requires.Perf();

        var trace = Traced(PerfMode.Hybrid, NativePrograms.Storm, ["20000", "4"]);

        trace.Mode.Should().Be(CaptureMode.Hybrid);
        trace.PhaseSyscallsCounted.Should().BeTrue(string.Join(" | ", trace.Notes));
        trace.SyscallTotals.Single(t => t.Name == "getppid").Count.Should().Be(20_000);
        trace.SyscallTotals.Should().Contain(t => t.PerEvent && t.Count > 0, "the threads' clone3 and mmap are decode-set records");
        trace.LostEvents.Should().Be(0, trace.InconclusiveReason);
    }

    [SkippableFact]
    public void A_phase_of_a_hybrid_trace_has_its_syscall_count_measured_and_each_run_its_own()
    {
        Requires.Perf();

        var trace = Traced(PerfMode.Hybrid, NativePrograms.Markers, ["4"]);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Phase("step/data").Calls("getppid").Value.Should().Be(8, "2 getppid in each of 4 runs");
        trace.Phase("step/data").AfterRuns(3).Calls("getppid").Value.Should().Be(2, "the last run alone");
        trace.Phase("step/forward").SyscallCount().Value.Should().Be(20, "5 getppid in each of 4 runs, and 400 markers that are no syscall");
    }

    [SkippableFact]
    public void A_phase_of_100000_markers_and_no_syscall_shows_0_syscalls_in_hybrid_mode_as_in_full_mode()
    {
        Requires.Perf();

        var full = Traced(PerfMode.Full, NativePrograms.PhasesProg, ["storm", "100000"]);
        var hybrid = Traced(PerfMode.Hybrid, NativePrograms.PhasesProg, ["storm", "100000"]);

        foreach (var trace in new[] { full, hybrid })
        {
            trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
            trace.Phase("storm").PhaseRuns.Should().HaveCount(1);
            trace.Phase("storm").SyscallCount().Value.Should().Be(0, $"the storm phase holds 100,000 markers and no syscall ({trace.Mode})");
            // 50,000 runs of tick, all inside storm: their union's count is 0, so each run's is.
            trace.Phase("storm/tick").PhaseRuns.Should().HaveCount(50_000);
            trace.Phase("storm/tick").SyscallCount().Value.Should().Be(0, $"no tick run holds a syscall ({trace.Mode})");
        }
        hybrid.PhaseSyscallsCounted.Should().BeTrue(string.Join(" | ", hybrid.Notes));
    }

    [SkippableFact]
    public void A_phase_on_the_main_thread_counts_the_syscalls_other_threads_make_in_its_window_in_hybrid_mode_as_in_full_mode()
    {
        Requires.Perf();

        var full = Traced(PerfMode.Full, NativePrograms.PhasesProg, ["thread"]);
        var hybrid = Traced(PerfMode.Hybrid, NativePrograms.PhasesProg, ["thread"]);

        full.IsInconclusive.Should().BeFalse(full.InconclusiveReason);
        hybrid.IsInconclusive.Should().BeFalse(hybrid.InconclusiveReason);
        hybrid.PhaseSyscallsCounted.Should().BeTrue(string.Join(" | ", hybrid.Notes));
        full.Phase("main").Calls("getppid").Value.Should().Be(6, "the unmarked thread's 5 getppid fall in the phase's window, and the main thread makes 1");
        hybrid.Phase("main").Calls("getppid").Value.Should().Be(full.Phase("main").Calls("getppid").Value);
        int mainTid = hybrid.Phase("main").PhaseFilter!.Tid;
        hybrid.Phase("main").OnThreads(mainTid).Calls("getppid").Value.Should().Be(1, "the main thread's own call");
    }

    [SkippableFact]
    public void Runs_of_one_phase_with_different_counts_each_keep_their_own_count_in_hybrid_mode_as_in_full_mode()
    {
        Requires.Perf();

        var full = Traced(PerfMode.Full, NativePrograms.PhasesProg, ["repeat"]);
        var hybrid = Traced(PerfMode.Hybrid, NativePrograms.PhasesProg, ["repeat"]);

        full.IsInconclusive.Should().BeFalse(full.InconclusiveReason);
        hybrid.IsInconclusive.Should().BeFalse(hybrid.InconclusiveReason);
        hybrid.PhaseSyscallsCounted.Should().BeTrue(string.Join(" | ", hybrid.Notes));
        EachRunsGetppid(full.Phase("step")).Should().Equal([1L, 2L, 3L], "run i makes i getppid (full mode)");
        EachRunsGetppid(hybrid.Phase("step")).Should().Equal([1L, 2L, 3L], "run i makes i getppid (hybrid mode)");
    }

    [SkippableFact]
    public void A_phase_of_1000_getppid_counts_1000_in_hybrid_mode_as_in_full_mode()
    {
        Requires.Perf();

        var full = Traced(PerfMode.Full, NativePrograms.PhasesProg, ["known", "1000"]);
        var hybrid = Traced(PerfMode.Hybrid, NativePrograms.PhasesProg, ["known", "1000"]);

        full.IsInconclusive.Should().BeFalse(full.InconclusiveReason);
        hybrid.IsInconclusive.Should().BeFalse(hybrid.InconclusiveReason);
        hybrid.PhaseSyscallsCounted.Should().BeTrue(string.Join(" | ", hybrid.Notes));
        full.Phase("known").Calls("getppid").Value.Should().Be(1000);
        hybrid.Phase("known").Calls("getppid").Value.Should().Be(1000);
        hybrid.Phase("known").SyscallCount().Value.Should().Be(full.Phase("known").SyscallCount().Value, "the phase holds the same syscalls in both modes");
        CaptureAbilities.Of(hybrid).Unmeasured(whole: false, BaselineKind.Syscall).Should().BeNull("a baseline may hold this run's per-phase syscalls");
    }
}
