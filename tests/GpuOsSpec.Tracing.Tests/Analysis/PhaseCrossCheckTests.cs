using GpuOsSpec.Tracing.Building;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Syscalls;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using static GpuOsSpec.Tracing.Tests.Support.CrossCheckCaptures;

namespace GpuOsSpec.Tracing.Tests.Analysis;

/// <summary>Full mode's per-phase figures held to the kernel's phase counter of the same run (--cross-check-phases), on
/// captures built by hand with a doctored counter reading (<see cref="Support.CrossCheckCaptures"/>).</summary>
public class PhaseCrossCheckTests
{
    [Fact]
    public void The_same_calls_counted_both_ways_are_reported_equal_per_syscall_with_both_figures()
    {
        var check = Build(Events(), Cells()).PhaseCrossCheck!;

        check.Compared.Should().BeTrue(check.Reason);
        check.Equal.Should().BeTrue();
        check.Paths.Should().Equal("step");
        check.Rows.Should().BeEquivalentTo(new[]
        {
            new PhaseCrossCheckRow("step", "getppid", 3, 0, 3, 0, 3, []),
            new PhaseCrossCheckRow("step", "read", 1, 1, 1, 1, 1, []),
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_planted_extra_count_in_the_kernels_reading_is_reported_with_its_phase_syscall_thread_and_both_figures()
    {
        var cells = Cells();
        cells[1] = cells[1] with { Calls = 2 };

        var trace = Build(Events(), cells);

        var check = trace.PhaseCrossCheck!;
        check.Compared.Should().BeTrue(check.Reason);
        check.Equal.Should().BeFalse("run B's getppid was counted twice by the kernel and once per event");
        check.Differences.Should().ContainSingle().Which.Should().Be(check.Rows.Single(r => r.Syscall == "getppid"));
        var row = check.Differences[0];
        (row.Path, row.FullCalls, row.KernelCalls).Should().Be(("step", 3L, 4L));
        row.DifferingTids.Should().Equal(Main);
        trace.Notes.Should().Contain(n => n.Contains("1 differ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_planted_error_count_alone_makes_the_row_differ()
    {
        var cells = Cells();
        cells[3] = cells[3] with { Errors = 0 };

        var check = Build(Events(), cells).PhaseCrossCheck!;

        check.Differences.Should().ContainSingle().Which.Should().Match<PhaseCrossCheckRow>(r => r.Syscall == "read" && r.FullErrors == 1 && r.KernelErrors == 0);
    }

    [Fact]
    public void Threads_whose_differences_cancel_out_in_the_sum_still_make_the_row_differ()
    {
        // The kernel gives one of thread 7's run-A getppid calls to thread 8: the sums agree, the threads do not.
        var cells = Cells();
        cells[0] = cells[0] with { Calls = 1 };
        cells.Add(new KernelSyscallCell(Mix(RunA), Helper, Nr("getppid"), 1, 0));

        var check = Build(Events(), cells).PhaseCrossCheck!;

        var row = check.Rows.Single(r => r.Syscall == "getppid");
        (row.FullCalls, row.KernelCalls).Should().Be((3L, 3L));
        row.Equal.Should().BeFalse("thread 7's and thread 8's own figures differ");
        row.DifferingTids.Should().Equal(Main, Helper);
        check.Equal.Should().BeFalse();
    }

    [Fact]
    public void The_kernels_counts_are_not_added_to_full_modes_figures()
    {
        var trace = Build(Events(), Cells());

        trace.PhaseCrossCheck!.Compared.Should().BeTrue(trace.PhaseCrossCheck.Reason);
        trace.PhaseSyscallsCounted.Should().BeFalse();
        trace.PhaseSyscallCounts.Should().BeEmpty();
        trace.Phase("step").Calls("getppid").Value.Should().Be(3, "full mode's 3 calls in the phase's runs, without the kernel's 3 again");
        trace.Phase("step").SyscallCount().Value.Should().Be(4, "3 getppid and 1 read");
        trace.AllThreads().Calls("getppid").Value.Should().Be(4);
        trace.SyscallTotals.Should().OnlyContain(t => t.PerEvent, "every figure of a full-mode trace is per event");
    }

    [Fact]
    public void A_call_that_entered_before_its_phase_and_returned_inside_it_is_told_apart_by_its_return()
    {
        // A read on the helper thread blocks across run A's start: full mode places it by entry (outside), a counter
        // that placed calls by their return would count it inside.
        var events = Events();
        events.Add(Call(Helper, "read", 900, 1500, 1));
        var cells = Cells();
        cells.Add(new KernelSyscallCell(Mix(RunA), Helper, Nr("read"), 1, 0));

        var check = Build(events, cells).PhaseCrossCheck!;

        var row = check.Differences.Should().ContainSingle().Subject;
        (row.Syscall, row.FullCalls, row.KernelCalls, row.FullCallsByReturn).Should().Be(("read", 1L, 2L, 2L));
        row.DifferingTids.Should().Equal(Helper);
    }

    [Fact]
    public void The_syscalls_the_default_mode_records_per_event_are_left_out_of_the_comparison()
    {
        var events = Events();
        events.Add(Call(Helper, "futex", 1500, 1600));
        var cells = Cells();
        cells.Add(new KernelSyscallCell(Mix(RunA), Helper, Nr("futex"), 5, 0));

        var check = Build(events, cells).PhaseCrossCheck!;

        check.Equal.Should().BeTrue("futex is recorded per event in the default mode, so its count there is not the counter's");
        check.Rows.Should().NotContain(r => r.Syscall == "futex");
        check.PerEventInDefaultMode.Should().Contain("futex").And.Contain("ioctl");
    }

    [Fact]
    public void A_counter_that_lost_counts_compares_nothing_and_is_never_equal()
    {
        var trace = Build(Events(), Cells(), lost: 3);

        var check = trace.PhaseCrossCheck!;
        check.Compared.Should().BeFalse();
        check.Equal.Should().BeFalse("a comparison with lost counts proves nothing");
        check.Rows.Should().BeEmpty();
        check.Reason.Should().Be("the kernel's phase counter lost 3 count(s) (the notes say where)");
        trace.IsInconclusive.Should().BeFalse("the counter's loss is the cross-check's, not full mode's");
        trace.Notes.Should().Contain(n => n.StartsWith("the phase cross-check (its losses cost the comparison only, not the trace's figures): hybrid mode's phase counter: 3 syscall count(s) were lost", StringComparison.Ordinal));
    }

    [Fact]
    public void A_counter_that_did_not_run_compares_nothing_and_says_why()
    {
        var check = Build(Events(), null, unavailable: "hybrid mode's phase counter did not run (libbpf.so.1 is missing)").PhaseCrossCheck!;

        check.Compared.Should().BeFalse();
        check.Equal.Should().BeFalse();
        check.Reason.Should().Be("hybrid mode's phase counter did not run (libbpf.so.1 is missing)");
    }

    [Fact]
    public void A_counter_that_counted_no_syscall_at_all_compares_nothing()
    {
        var check = Build(Events(), []).PhaseCrossCheck!;

        check.Compared.Should().BeFalse();
        check.Reason.Should().Be("the kernel's phase counter counted no syscall at all in the run, so it could not have seen any");
    }

    [Fact]
    public void Counts_the_marker_records_cannot_place_compare_nothing()
    {
        var cells = Cells();
        cells.Add(new KernelSyscallCell(Mix(99), Main, Nr("getppid"), 1, 0));

        var check = Build(Events(), cells).PhaseCrossCheck!;

        check.Compared.Should().BeFalse();
        check.Reason.Should().StartWith("the kernel's counts could not be placed in their phase runs: 1 open set(s)");
    }

    [Fact]
    public void Full_mode_events_lost_make_the_comparison_compare_nothing()
    {
        var trace = TraceBuilder.From(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            Syscalls = Events(),
            Lost = 2,
            PhaseCrossCheckAsked = true,
            PhaseCrossCheckCounts = new KernelPhaseCapture(Markers(), Cells(), 0, []),
        }, new CaptureTarget { Target = "t", StartNs = 0, EndNs = 10_000, Phases = Runs });

        trace.PhaseCrossCheck!.Compared.Should().BeFalse();
        trace.PhaseCrossCheck.Reason.Should().Be("full mode lost 2 event(s), so its per-phase figures are not exact");
    }

    [Fact]
    public void A_trace_without_gpuos_phases_compares_nothing()
    {
        var trace = TraceBuilder.From(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            Syscalls = Events(),
            PhaseCrossCheckAsked = true,
            PhaseCrossCheckCounts = new KernelPhaseCapture([], [new KernelSyscallCell(0, Main, Nr("getppid"), 4, 0)], 0, []),
        }, new CaptureTarget { Target = "t", StartNs = 0, EndNs = 10_000 });

        trace.PhaseCrossCheck!.Compared.Should().BeFalse();
        trace.PhaseCrossCheck.Reason.Should().Be("the program opened no gpuos phase, so there was nothing to compare");
    }

    [Fact]
    public void The_same_switches_and_faults_counted_both_ways_are_reported_equal_per_figure_with_both_figures()
    {
        var check = Build(Events(), Cells(), activity: Activity()).PhaseCrossCheck!;

        check.Compared.Should().BeTrue(check.Reason);
        check.FiguresNotCompared.Should().BeEmpty();
        check.Figures.Should().BeEquivalentTo(new[]
        {
            new PhaseCrossCheckFigure("step", "voluntarySwitches", 1, 1, []),
            new PhaseCrossCheckFigure("step", "involuntarySwitches", 1, 1, []),
            new PhaseCrossCheckFigure("step", "minorFaults", 3, 3, []),
            new PhaseCrossCheckFigure("step", "majorFaults", 1, 1, []),
        }, o => o.WithStrictOrdering());
        check.Equal.Should().BeTrue();
    }

    [Fact]
    public void A_planted_extra_switch_in_the_kernels_reading_makes_the_figure_differ_with_its_thread()
    {
        // The kernel counts one more voluntary switch of main in run B than full mode recorded.
        var activity = Activity();
        activity[2] = activity[2] with { Voluntary = 1 };

        var trace = Build(Events(), Cells(), activity: activity);

        var check = trace.PhaseCrossCheck!;
        check.Rows.Should().OnlyContain(r => r.Equal, "the syscalls agree");
        check.Equal.Should().BeFalse("run B's voluntary switches differ");
        var figure = check.FigureDifferences.Should().ContainSingle().Subject;
        (figure.Path, figure.Figure, figure.Full, figure.Kernel).Should().Be(("step", "voluntarySwitches", 1L, 2L));
        figure.DifferingTids.Should().Equal(Main);
        trace.Notes.Should().Contain(n => n.Contains("4 (phase, switch or fault) figure(s) compared, 1 differ", StringComparison.Ordinal));
    }

    [Fact]
    public void Faults_that_move_between_threads_make_the_figure_differ_though_the_sums_agree()
    {
        var activity = Activity();
        activity[0] = activity[0] with { MinorFaults = 1 };
        activity[1] = activity[1] with { MinorFaults = 2 };

        var check = Build(Events(), Cells(), activity: activity).PhaseCrossCheck!;

        var figure = check.Figures.Single(f => f.Figure == "minorFaults");
        (figure.Full, figure.Kernel).Should().Be((3L, 3L));
        figure.DifferingTids.Should().Equal(Main, Helper);
        check.Equal.Should().BeFalse();
    }

    [Fact]
    public void A_switch_whose_two_readings_straddle_another_threads_boundary_is_unordered_not_a_difference()
    {
        var (switches, activity, witnesses) = HelperSwitchAtRunAsEnd(kernelReadNs: 1999);

        var check = Build(Events(), Cells(), activity: activity, switches: switches, witnesses: witnesses).PhaseCrossCheck!;

        var figure = check.Figures.Single(f => f.Figure == "involuntarySwitches");
        (figure.Full, figure.Kernel, figure.Unordered).Should().Be((1L, 0L, 1L));
        figure.DifferingTids.Should().BeEmpty();
        figure.UnorderedTids.Should().Equal(Helper);
        check.Equal.Should().BeTrue("the one event placed apart has no order the clocks can give");
    }

    [Fact]
    public void A_switch_placed_apart_with_both_readings_clear_of_every_boundary_is_a_difference()
    {
        // The kernel read the set at 1500, well inside run A, and still counted the switch outside: a miscount.
        var (switches, activity, witnesses) = HelperSwitchAtRunAsEnd(kernelReadNs: 1500);
        switches[1] = switches[1] with { TimeNs = 1500 };

        var check = Build(Events(), Cells(), activity: activity, switches: switches, witnesses: witnesses).PhaseCrossCheck!;

        var figure = check.Figures.Single(f => f.Figure == "involuntarySwitches");
        (figure.Full, figure.Kernel, figure.Unordered).Should().Be((1L, 0L, 0L));
        figure.DifferingTids.Should().Equal(Helper);
        check.Equal.Should().BeFalse();
    }

    [Fact]
    public void Without_the_counters_record_of_each_count_a_switch_at_a_boundary_is_a_difference()
    {
        var (switches, activity, _) = HelperSwitchAtRunAsEnd(kernelReadNs: 1999);

        var check = Build(Events(), Cells(), activity: activity, switches: switches).PhaseCrossCheck!;

        check.Figures.Single(f => f.Figure == "involuntarySwitches").DifferingTids.Should().Equal(Helper);
        check.Equal.Should().BeFalse("nothing shows where the kernel read the set");
    }

    [Fact]
    public void A_switch_the_counter_has_no_record_of_is_never_paired_with_a_neighbour()
    {
        // The kernel has no record of the helper's switch at 1999 and one extra at 4990, with the helper's switch at
        // 2500 between them: the counts per thread still agree, but paired in order, the first pair's readings (1999
        // and 2501) hold the 2500 switch's between them, so nothing is explained.
        var (switches, activity, witnesses) = HelperSwitchAtRunAsEnd(kernelReadNs: 2501);
        switches.Add(new(Helper, 2500, false, 0));
        switches.Add(new(Helper, 5000, false, 0));
        witnesses.Add(Witness(Helper, 2, 0, 4990, 4991));
        witnesses.Add(Witness(Helper, 2, 0, 5001, 5002));
        activity[^1] = activity[^1] with { Involuntary = 3 };

        var check = Build(Events(), Cells(), activity: activity, switches: switches, witnesses: witnesses).PhaseCrossCheck!;

        check.Figures.Single(f => f.Figure == "involuntarySwitches").DifferingTids.Should().Equal(Helper);
        check.Equal.Should().BeFalse();
    }

    [Fact]
    public void Switches_and_faults_the_counter_did_not_count_are_not_compared_and_say_why()
    {
        var check = Build(Events(), Cells(), activityUnavailable: "the kernel's switch and fault programs could not be attached (EPERM)").PhaseCrossCheck!;

        check.Compared.Should().BeTrue("the syscalls were compared");
        check.Figures.Should().BeEmpty();
        check.FiguresNotCompared.Should().Equal("context switches and page faults: the kernel's switch and fault programs could not be attached (EPERM)");
    }

    [Fact]
    public void Without_fault_events_in_full_mode_the_faults_are_not_compared_and_the_switches_are()
    {
        var check = Build(Events(), Cells(), activity: Activity(), faultsRecorded: false).PhaseCrossCheck!;

        check.Figures.Select(f => f.Figure).Should().Equal("voluntarySwitches", "involuntarySwitches");
        check.FiguresNotCompared.Should().Equal("page faults: full mode recorded no fault events (--no-fault-events)");
    }

    [Fact]
    public void Switches_and_faults_are_not_compared_when_the_capture_could_not_end_both_counts_at_one_moment()
    {
        // The counter stops counting at a cut a little ahead of the stop; a stop held up past it leaves the events and
        // the kernel's counts over different windows, and a thread still running then could differ by a switch.
        var check = Build(Events(), Cells(), activity: Activity(), activityCutNs: null).PhaseCrossCheck!;

        check.Figures.Should().BeEmpty("the two sides did not end at one moment");
        check.FiguresNotCompared.Should().ContainSingle().Which.Should().Contain("held up past the moment set to end both counts");
        check.Compared.Should().BeTrue("the syscalls are compared all the same");
    }

    [Fact]
    public void A_trace_that_did_not_ask_for_the_cross_check_has_none()
    {
        Build(Events(), Cells(), asked: false).PhaseCrossCheck.Should().BeNull();
    }

    [Fact]
    public void The_cross_check_is_refused_outside_full_mode_with_markers()
    {
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid, GpuOsLibrary = "/x/libgpuos.so", CrossCheckPhases = true };

        var act = options.Validate;

        act.Should().Throw<ArgumentException>().WithMessage("CrossCheckPhases holds full mode's per-phase figures to hybrid mode's phase counter on the same run: it needs Source = Perf, Mode = Full and a GpuOsLibrary*");
        (options with { Mode = PerfMode.Full, GpuOsLibrary = null }).Invoking(o => o.Validate()).Should().Throw<ArgumentException>();
        (options with { Mode = PerfMode.Full }).Invoking(o => o.Validate()).Should().NotThrow();
    }
}
