using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>Full mode with the phase cross-check: hybrid mode's phase counter runs beside full mode's events on the
/// same run, and on deterministic programs the two agree on every phase, while full mode's own figures stay as they
/// were.</summary>
[Collection(SerialCollection.Name)]
public class PhaseCrossCheckCaptureTests
{
    private static Trace CrossChecked(string program, params string[] args) =>
        CommandTracer.Run(program, args, new CaptureOptions
        {
            Source = CaptureSourceKind.Perf,
            Mode = PerfMode.Full,
            GpuOsLibrary = NativePrograms.GpuOsLibrary,
            CrossCheckPhases = true,
        });

    [SkippableTheory]
    [InlineData("phases-prog", "known 1000", "known")]
    [InlineData("phases-prog", "repeat", "step")]
    [InlineData("phases-prog", "thread", "main")]
    [InlineData("phases-prog", "fork", "child")]
    [InlineData("phases-prog", "exec", "post")]
    [InlineData("phases-prog", "signal", "sig")]
    [InlineData("markers", "4", "step/forward")]
    [InlineData("exec-markers", "", null)]
    [InlineData("fork-markers", "", null)]
    public void The_cross_check_finds_every_figure_of_every_phase_equal_on_a_deterministic_program(string name, string args, string? getppidIn)
    {
        Requires.Perf();
        Requires.PhaseCounter();
        string program = name switch
        {
            "phases-prog" => NativePrograms.PhasesProg,
            "markers" => NativePrograms.Markers,
            "exec-markers" => NativePrograms.ExecMarkers,
            _ => NativePrograms.ForkMarkers,
        };

        var trace = CrossChecked(program, args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Mode.Should().Be(CaptureMode.Full);
        var check = trace.PhaseCrossCheck;
        check.Should().NotBeNull();
        check!.Compared.Should().BeTrue(check.Reason);
        check.Paths.Should().BeEquivalentTo(trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).Select(p => p.Path).Distinct());
        check.Differences.Should().BeEmpty(string.Join("; ", check.Differences.Select(d => $"{d.Path} {d.Syscall}: full {d.FullCalls}/{d.FullErrors}, kernel {d.KernelCalls}/{d.KernelErrors}, threads {string.Join(",", d.DifferingTids)}")));
        check.Equal.Should().BeTrue();
        // Not a pass on nothing: the getppid calls the program makes in its phases were counted both ways.
        var getppid = check.Rows.Where(r => r.Syscall == "getppid" && (getppidIn is null || r.Path == getppidIn)).ToList();
        getppid.Should().NotBeEmpty("the program makes getppid calls in its phases");
        getppid.Should().OnlyContain(r => r.KernelCalls > 0 && r.KernelCalls == r.FullCalls);
    }

    [SkippableTheory]
    [InlineData("known 1000")]
    [InlineData("repeat")]
    [InlineData("thread")]
    [InlineData("fork")]
    [InlineData("exec")]
    [InlineData("linger")]
    [InlineData("killed")]
    [InlineData("signal")]
    [InlineData("straddle")]
    [InlineData("storm 2000")]
    public void The_cross_check_finds_every_phases_switches_and_faults_equal_on_a_deterministic_program(string mode)
    {
        Requires.Perf();
        Requires.PhaseCounter();

        // Threads that exit inside a phase (thread, fork, killed) make a last switch in the kernel after perf's events
        // are gone: the counter must leave it out as full mode does.
        var trace = CrossChecked(NativePrograms.PhasesProg, mode.Split(' '));

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        var check = trace.PhaseCrossCheck!;
        check.Compared.Should().BeTrue(check.Reason);
        check.FiguresNotCompared.Should().BeEmpty();
        check.FigureDifferences.Should().BeEmpty(string.Join("; ", check.FigureDifferences.Select(d => $"{d.Path} {d.Figure}: full {d.Full}, kernel {d.Kernel}, threads {string.Join(",", d.DifferingTids)}")));
        check.Figures.Select(f => f.Path).Distinct().Should().BeEquivalentTo(check.Paths, "every phase path's switches and faults are compared");
        // Not a pass on nothing: every program faults in some phase, counted both ways.
        check.Figures.Should().Contain(f => f.Figure == "minorFaults" && f.Kernel > 0 && f.Kernel == f.Full);
        check.OnCpu.Select(t => t.Path).Should().BeEquivalentTo(check.Paths);
    }

    [SkippableFact]
    public void Another_threads_switches_at_every_boundary_are_placed_alike_or_shown_unordered_never_as_differences()
    {
        Requires.Perf();
        Requires.PhaseCounter();

        // 8,000 boundaries a few microseconds apart while a thread that never marks switches on the other CPU: before
        // the counter timed its markers after the set's change and recorded each count, 2 of 3 such runs differed by
        // up to 36 switches a figure (full mode stamped them on one side of a boundary, the kernel read the set on the
        // other).
        var trace = CrossChecked(NativePrograms.PhasesProg, "race", "2000");

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        var check = trace.PhaseCrossCheck!;
        check.Compared.Should().BeTrue(check.Reason);
        check.FigureDifferences.Should().BeEmpty(string.Join("; ", check.FigureDifferences.Select(d => $"{d.Path} {d.Figure}: full {d.Full}, kernel {d.Kernel}, threads {string.Join(",", d.DifferingTids)}")));
        // Not a pass on nothing: the thread that never marks switched inside a and b, counted both ways.
        int main = trace.Phases.First(p => p.Path == "outer").Tid;
        foreach (string path in new[] { "outer/a", "outer/b" })
        {
            var voluntary = check.Figures.Single(f => f.Path == path && f.Figure == "voluntarySwitches");
            voluntary.Kernel.Should().BeGreaterThan(0, $"the napping thread switches inside {path}");
            voluntary.Full.Should().BeGreaterThan(0, $"the napping thread switches inside {path}");
            voluntary.UnorderedTids.Should().NotContain(main, "the marking thread's own switches are ordered by its program");
        }
    }


    [SkippableFact]
    public void A_phase_whose_thread_stays_on_its_CPU_gets_its_on_CPU_time_from_the_markers_records()
    {
        Requires.Perf();
        Requires.PhaseCounter();

        // Each run of storm/tick is a begin and an end marker in a row. The kernel ends its thread's on-CPU stretch at
        // each marker and hands the stretch over in that marker's record, not in gos_phase: without a switch inside
        // the runs, the records are where all of the phase's kernel on-CPU time comes from. Ten short runs, so that
        // a switch inside one (which would skip the test) is rare.
        var trace = CrossChecked(NativePrograms.PhasesProg, "storm", "20");

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        var check = trace.PhaseCrossCheck!;
        check.Compared.Should().BeTrue(check.Reason);
        long switches = check.Figures.Where(f => f.Path == "storm/tick" && f.Figure.EndsWith("Switches", StringComparison.Ordinal)).Sum(f => f.Full);
        Skip.If(switches > 0, $"the thread was switched away {switches} time(s) inside storm/tick, so part of its on-CPU time there came from the switch program");
        check.OnCpu.Should().ContainSingle(t => t.Path == "storm/tick").Which.OpenersKernelNs.Should()
            .BePositive("the thread ran inside storm/tick's 10 runs, and each run's stretch ended at its end marker");
    }

    [SkippableFact]
    public void A_read_that_blocked_across_a_phases_start_is_placed_by_its_entry_both_ways()
    {
        Requires.Perf();
        Requires.PhaseCounter();

        // The reader thread enters read before the phase begins and returns inside it: full mode places the call by
        // its entry (outside the phase), and so does the kernel's counter, which counts it under the set at entry.
        var trace = CrossChecked(NativePrograms.PhasesProg, "straddle");

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.ExitCode.Should().Be(0);
        var check = trace.PhaseCrossCheck!;
        check.Compared.Should().BeTrue(check.Reason);
        check.Differences.Should().BeEmpty(string.Join("; ", check.Differences.Select(d => $"{d.Path} {d.Syscall}: full {d.FullCalls}, kernel {d.KernelCalls}, by return {d.FullCallsByReturn}")));
        check.Equal.Should().BeTrue();
        // Not a pass on nothing: the straddling read returned inside the phase, so exit-time placement would differ.
        var phase = trace.Phases.Should().ContainSingle(p => p.Path == "straddle").Subject;
        trace.Syscalls.Should().ContainSingle(c => c.Name == "read" && c.EnterNs < phase.StartNs && phase.Contains(c.ExitNs),
            "the reader's read entered before the phase and returned inside it");
        check.Rows.Should().NotContain(r => r.Syscall == "read" && (r.FullCalls > 0 || r.KernelCalls > 0), "the read entered before the phase");
        check.Rows.Should().Contain(r => r.Syscall == "write" && r.FullCalls == 1 && r.Equal, "the main thread's write in the phase agrees");
    }

    [SkippableFact]
    public void Full_modes_figures_are_unchanged_with_the_cross_check_on()
    {
        Requires.Perf();
        Requires.PhaseCounter();

        var trace = CrossChecked(NativePrograms.PhasesProg, "known", "1000");

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.PhaseCrossCheck!.Rows.Should().ContainSingle(r => r.Path == "known" && r.Syscall == "getppid")
            .Which.KernelCalls.Should().Be(1000, "the counter ran and counted the phase's calls");
        trace.PhaseSyscallsCounted.Should().BeFalse();
        trace.PhaseSyscallCounts.Should().BeEmpty();
        trace.Phase("known").Calls("getppid").Value.Should().Be(1000, "full mode's 1000 calls, not 2000 with the counter's added");
        trace.Phase("known").SyscallCount().Value.Should().Be(1000, "the phase makes 1000 getppid and nothing else");
        trace.SyscallTotals.Should().OnlyContain(t => t.PerEvent);
    }

    [SkippableFact]
    public void Without_the_cross_check_a_full_mode_trace_has_none()
    {
        Requires.Perf();

        var trace = CommandTracer.Run(NativePrograms.PhasesProg, ["known", "10"],
            new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary });

        trace.PhaseCrossCheck.Should().BeNull();
    }
}
