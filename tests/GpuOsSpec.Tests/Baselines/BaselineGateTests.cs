using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Baselines;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tests.Baselines;

/// <summary>The baseline gate passes only on what the run could measure: every way it once passed on nothing fails
/// now.</summary>
public class BaselineGateTests
{
    private static readonly BaselineTolerance Default = new();

    private static Phase Step(long from, long to) => new("step", "step", from, to, Traces.Workload) { Origin = PhaseOrigin.GpuOsMarkers };

    private static Traces Program() => new Traces().WithPhases(Step(0, 1_000_000), Step(1_000_000, 2_000_000)).Calls("getppid", 4, 100_000).Calls("getppid", 4, 1_100_000);

    [Fact]
    public void A_run_like_its_baseline_passes()
    {
        var baseline = BaselineProfile.Of(Program().Build());

        BaselineComparison.Compare(baseline, Program().Build(), Default).Verdict.Should().Be(BaselineVerdict.Passed);
    }

    [Fact]
    public void A_phase_of_the_baseline_that_never_ran_is_inconclusive_not_a_shrink()
    {
        var baseline = BaselineProfile.Of(Program().Build());
        var withoutSteps = new Traces().WithPhases().Calls("getppid", 8, 100_000).Build();

        var result = BaselineComparison.Compare(baseline, withoutSteps, Default);

        result.Verdict.Should().Be(BaselineVerdict.Inconclusive);
        result.Reason.Should().Contain("phase \"step\" never ran");
    }

    [Fact]
    public void Per_phase_syscalls_of_a_full_mode_baseline_are_refused_against_a_hybrid_run_that_cannot_count_them()
    {
        var baseline = BaselineProfile.Of(Program().Build());
        // 100 times the calls, counted in the kernel for the whole run only: once compared as 0, so it passed.
        var hybrid = Program().Counted("getppid", 800).InMode(CaptureMode.Hybrid).Build();

        var result = BaselineComparison.Compare(baseline, hybrid, Default);

        result.Verdict.Should().Be(BaselineVerdict.Refused);
        result.Reason.Should().Contain("syscalls by name in phase \"step\"").And.Contain("hybrid mode");
    }

    [Fact]
    public void A_hybrid_plan_whose_phase_counter_is_to_run_may_compare_per_phase_syscalls_but_a_run_whose_counter_did_not_run_is_refused()
    {
        var baseline = BaselineProfile.Of(Program().Build());
        var capture = new BaselineCapture(CaptureSourceKind.Perf, CaptureMode.Hybrid, [], Markers: true);

        var withCounter = CaptureAbilities.Planned(CaptureSourceKind.Perf, CaptureMode.Hybrid, apiCalls: false, faultEvents: true, phaseCounter: true);
        var without = CaptureAbilities.Planned(CaptureSourceKind.Perf, CaptureMode.Hybrid, apiCalls: false, faultEvents: true, phaseCounter: false);
        // The kernel refused the counter at load (or a count had no run): its trace says the phases were not counted.
        var run = Program().Counted("getppid", 800).InMode(CaptureMode.Hybrid).Build();

        BaselineComparison.CannotMeasure(baseline, capture, withCounter).Should().BeNull("the plan cannot know the counter will not load");
        BaselineComparison.CannotMeasure(baseline, capture, without).Should().Contain("syscalls by name in phase \"step\"");
        run.PhaseSyscallsCounted.Should().BeFalse();
        var result = BaselineComparison.Compare(baseline, run, Default);
        result.Verdict.Should().Be(BaselineVerdict.Refused, "a run whose per-phase syscalls were not counted is never compared as 0");
        result.Reason.Should().Contain("through its phase counter");
    }

    [Fact]
    public void A_hybrid_baseline_holds_no_per_phase_syscalls_and_the_comparison_says_they_are_not_held()
    {
        var baseline = BaselineProfile.Of(Program().Counted("write", 3).InMode(CaptureMode.Hybrid).Build());

        baseline.ScopeNamed("step")!.Measured.Should().NotContain(BaselineKind.Syscall);
        baseline.Entries.Should().NotContain(e => e.Scope == "step" && e.Kind == BaselineKind.Syscall);
        var result = BaselineComparison.Compare(baseline, Program().Build(), Default);
        result.NotHeld.Should().ContainSingle().Which.Should().Contain("syscalls by name");
    }

    [Fact]
    public void Api_calls_the_run_did_not_probe_are_refused()
    {
        var baseline = BaselineProfile.Of(Program().Api("cuLaunchKernel", 200_000, 210_000).Api("cuLaunchKernel", 1_200_000, 1_210_000).Build());

        var result = BaselineComparison.Compare(baseline, Program().Build(), Default);

        result.Verdict.Should().Be(BaselineVerdict.Refused);
        result.Reason.Should().Contain("API calls of libtest.so");
    }

    [Fact]
    public void Probes_that_saw_no_call_where_the_baseline_saw_them_make_the_run_inconclusive()
    {
        // The program loaded another copy of the library than the one probed: once "shrank 100 -> 0", a pass.
        var baseline = BaselineProfile.Of(Program().Api("cuLaunchKernel", 200_000, 210_000).Api("cuLaunchKernel", 1_200_000, 1_210_000).Build());

        var result = BaselineComparison.Compare(baseline, Program().Build(apiProbed: true), Default);

        result.Verdict.Should().Be(BaselineVerdict.Inconclusive);
        result.Reason.Should().Contain("API probes saw no call");
    }

    // A hybrid program whose launches the kernel counted, each launch making the given syscalls.
    private static Traces Launches(int syscalls, bool inKernel = true, long lost = 0)
    {
        var traces = Program().Counted("write", 8).InMode(CaptureMode.Hybrid)
            .Api("cuLaunchKernel", 200_000, 210_000, syscalls).Api("cuLaunchKernel", 1_200_000, 1_210_000, syscalls);
        return inKernel ? traces.ApiCountedInKernel(lost) : traces;
    }

    [Fact]
    public void Syscalls_inside_API_calls_counted_in_the_kernel_are_held_in_hybrid_mode_and_a_run_that_grew_them_fails()
    {
        var baseline = BaselineProfile.Of(Launches(1).Build());

        baseline.ScopeNamed("step")!.Measured.Should().Contain(BaselineKind.ApiSyscalls);
        BaselineComparison.Compare(baseline, Launches(1).Build(), Default).Verdict.Should().Be(BaselineVerdict.Passed);
        var grown = BaselineComparison.Compare(baseline, Launches(3).Build(), Default);
        grown.Verdict.Should().Be(BaselineVerdict.Failed);
        grown.Changes.Should().ContainSingle(c => c.Regression).Which.Entry.Should().Match<BaselineEntry>(e => e.Kind == BaselineKind.ApiSyscalls && e.Name == "cuLaunchKernel");
    }

    [Fact]
    public void A_hybrid_run_whose_API_calls_were_joined_from_samples_is_refused_against_a_baseline_holding_their_syscalls()
    {
        var baseline = BaselineProfile.Of(Launches(1).Build());
        // The counter did not run (--api-samples, or it could not load): the calls hold only the decode set's syscalls.
        var sampled = Launches(0, inKernel: false).Build();

        var result = BaselineComparison.Compare(baseline, sampled, Default);

        result.Verdict.Should().Be(BaselineVerdict.Refused, "syscalls the run could not see inside the calls are never compared as 0");
        result.Reason.Should().Contain("syscalls inside API calls in phase \"step\"").And.Contain("only when the kernel counts the calls");
    }

    [Fact]
    public void A_hybrid_run_whose_kernel_API_counter_lost_counts_is_inconclusive()
    {
        var baseline = BaselineProfile.Of(Launches(1).Build());

        var result = BaselineComparison.Compare(baseline, Launches(1, lost: 2).Build(), Default);

        result.Verdict.Should().Be(BaselineVerdict.Inconclusive);
        result.Reason.Should().Contain("the kernel's API counter lost 2 count(s)");
    }

    [Fact]
    public void A_hybrid_plan_with_the_kernel_API_counter_may_compare_syscalls_inside_API_calls_and_one_with_samples_is_refused()
    {
        var baseline = BaselineProfile.Of(Launches(1).Build());
        var capture = new BaselineCapture(CaptureSourceKind.Perf, CaptureMode.Hybrid, ["libtest.so"], Markers: true);

        var counted = CaptureAbilities.Planned(CaptureSourceKind.Perf, CaptureMode.Hybrid, apiCalls: true, faultEvents: true, phaseCounter: true, apiCounter: true);
        var sampled = CaptureAbilities.Planned(CaptureSourceKind.Perf, CaptureMode.Hybrid, apiCalls: true, faultEvents: true, phaseCounter: true, apiCounter: false);

        BaselineComparison.CannotMeasure(baseline, capture, counted).Should().BeNull("the plan cannot know the counter will not load; the run says");
        BaselineComparison.CannotMeasure(baseline, capture, sampled).Should().Contain("syscalls inside API calls").And.Contain("--mode full");
    }

    [Fact]
    public void A_command_that_failed_after_the_same_phases_never_passes()
    {
        var baseline = BaselineProfile.Of(Program().Build());

        var result = BaselineComparison.Compare(baseline, Program().Exited(1).Build(), Default);

        result.Verdict.Should().Be(BaselineVerdict.Inconclusive);
        result.Reason.Should().Contain("exited with 1");
    }

    [Fact]
    public void A_failed_command_cannot_be_a_baseline()
    {
        var act = () => BaselineProfile.Of(Program().Exited(2).Build());

        act.Should().Throw<ArgumentException>().WithMessage("*exited with 2; a failed run cannot be a baseline*");
    }

    [Fact]
    public void A_phase_that_takes_twice_the_cpu_fails_on_its_cpu_time_with_the_same_syscalls()
    {
        // CUDA_LAUNCH_BLOCKING=1 on the H200: waits spin, no syscall changes, the step takes 2.3 times as long.
        var baseline = BaselineProfile.Of(Program().OnCpu(0, 400_000).OnCpu(1_000_000, 1_400_000).Build());
        var slower = Program().OnCpu(0, 800_000).OnCpu(1_000_000, 1_800_000).Build();

        var result = BaselineComparison.Compare(baseline, slower, Default);

        result.Verdict.Should().Be(BaselineVerdict.Failed);
        result.Changes.Should().ContainSingle(c => c.Regression).Which.Entry.Should().Match<BaselineEntry>(e => e.Kind == BaselineKind.CpuTime && e.Name == "Workload" && e.Scope == "step");
    }

    [Fact]
    public void A_phase_that_lasts_twice_as_long_fails_on_its_wall_time()
    {
        var baseline = BaselineProfile.Of(Program().Build());
        var slower = Program().WithPhases(Step(0, 2_000_000), Step(2_000_000, 4_000_000)).Build();

        var result = BaselineComparison.Compare(baseline, slower, Default);

        result.Verdict.Should().Be(BaselineVerdict.Failed);
        result.Changes.Should().ContainSingle(c => c.Regression).Which.Entry.Kind.Should().Be(BaselineKind.WallTime);
    }

    [Fact]
    public void Time_a_phases_thread_waited_for_a_cpu_that_another_program_held_is_not_the_phases_time()
    {
        // Each step: on its CPU 0.4 ms, then preempted (still runnable) for 0.5 ms, then 0.1 ms more on its CPU.
        var baseline = BaselineProfile.Of(Program().OnCpu(0, 400_000).OnCpu(1_000_000, 1_400_000).Build());
        var loaded = Program()
            .OnCpu(0, 400_000, leftRunnable: true).OnCpu(900_000, 1_000_000)
            .OnCpu(1_000_000, 1_400_000, leftRunnable: true).OnCpu(1_900_000, 2_000_000).Build();

        var step = loaded.View().InPhase("step");
        (step.WallNs(), step.OwnWallNs()).Should().Be((2_000_000, 1_000_000));
        var result = BaselineComparison.Compare(baseline, loaded, Default);
        result.Changes.Should().NotContain(c => c.Regression && c.Entry.Kind == BaselineKind.WallTime);
    }

    [Fact]
    public void Recorded_noise_widens_a_times_limit_and_the_median_of_the_runs_is_compared()
    {
        var runs = new[] { 1_000_000L, 1_100_000, 1_700_000 }.Select(d => Program().WithPhases(Step(0, d), Step(d, 2 * d)).Build()).ToList();
        var baseline = BaselineProfile.Of(runs);
        var step = baseline.Entries.Single(e => e.Scope == "step" && e.Kind == BaselineKind.WallTime);

        (step.PerRun, step.Max).Should().Be((1_100_000, 1_700_000));
        // max(1.1 ms x 1.5, 1.7 ms x 1.1) + 0.1 ms = 1.97 ms: a run of 1.9 ms is within it.
        Default.Limit(step).Should().BeApproximately(1_970_000, 1);
        var within = Program().WithPhases(Step(0, 1_900_000), Step(1_900_000, 3_800_000)).Build();
        BaselineComparison.Compare(baseline, within, Default).Verdict.Should().Be(BaselineVerdict.Passed);
    }

    [Theory]
    [InlineData(double.NaN, 0.5)]
    [InlineData(0.1, double.NaN)]
    [InlineData(double.PositiveInfinity, 0.5)]
    [InlineData(-0.1, 0.5)]
    public void A_tolerance_that_is_not_a_finite_number_of_at_least_zero_is_refused(double relative, double absolute)
    {
        var baseline = BaselineProfile.Of(Program().Build());

        var act = () => BaselineComparison.Compare(baseline, Program().Calls("mmap", 100, 1_200_000).Build(), new BaselineTolerance(relative, absolute));

        act.Should().Throw<ArgumentException>().WithMessage("The tolerance is not usable*");
    }

    [Fact]
    public void A_name_with_a_newline_or_a_bar_cannot_break_the_markdown_table()
    {
        var baseline = BaselineProfile.Of(Program().Build());
        var run = Program().Calls("getppid", 10, 1_200_000).Build();
        var grown = new Traces().WithPhases(new Phase("a|b\nc", "a|b\nc", 0, 1_000_000, Traces.Workload)).Calls("getppid", 9, 100_000).Build();
        var odd = BaselineProfile.Of(new Traces().WithPhases(new Phase("a|b\nc", "a|b\nc", 0, 1_000_000, Traces.Workload)).Calls("getppid", 1, 100_000).Build());

        string markdown = BaselineComparison.Compare(odd, grown, Default).ToMarkdown(odd, Default);

        markdown.Should().Contain("| grew | a\\|b\\x0Ac | syscall getppid |");
        BaselineComparison.Compare(baseline, run, Default).Verdict.Should().Be(BaselineVerdict.Failed);
    }
}
