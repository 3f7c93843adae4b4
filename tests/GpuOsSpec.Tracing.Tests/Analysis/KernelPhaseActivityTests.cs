using GpuOsSpec.Tracing.Baselines;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources.Perf;
using static GpuOsSpec.Tracing.Tests.Support.CrossCheckCaptures;

namespace GpuOsSpec.Tracing.Tests.Analysis;

/// <summary>The default (hybrid) mode's per-phase switches and faults from the kernel's phase counter (gos_phase), on
/// captures built by hand (<see cref="Support.CrossCheckCaptures"/>): a phase has them where they were not recorded as
/// events, and a counter that did not count them, or whose counts cannot be placed, leaves them not measured, never
/// 0.</summary>
public class KernelPhaseActivityTests
{
    [Fact]
    public void Without_fault_events_a_phases_faults_are_the_kernels_counts_taken_while_one_of_its_runs_was_open()
    {
        var trace = Hybrid(Activity());

        var step = trace.Phase("step");

        trace.PhaseActivityCounted.Should().BeTrue(trace.PhaseActivityUnmeasured);
        step.MinorFaults().Value.Should().Be(3, "2 of main's and 1 of the helper's in run A; main's fault outside the runs is not the phase's");
        step.MajorFaults().Value.Should().Be(1, "main's in run B");
        step.MinorFaults().Source.Should().Contain("phase counter");
        step.OnThreads(Main).MinorFaults().Value.Should().Be(2);
        step.AfterRuns(1).MajorFaults().Value.Should().Be(1, "run B alone");
        step.AfterRuns(1).MinorFaults().Value.Should().Be(0, "run B took no minor fault, and the counter counted it");
    }

    [Fact]
    public void A_phases_faults_are_not_measured_when_the_phase_counter_did_not_count_them()
    {
        var trace = Hybrid(null, "the kernel's switch and fault programs could not be attached (perf_event_open of a page-fault event on CPU 1 failed (EACCES))");

        var minor = trace.Phase("step").MinorFaults();

        minor.IsMeasured.Should().BeFalse("no event and no kernel count saw the phase's faults, so 0 would be a pass on nothing");
        minor.Source.Should().Contain("perf_event_open of a page-fault event on CPU 1 failed");
        trace.PhaseActivityCounted.Should().BeFalse();
        trace.PhaseActivityCounts.Should().BeEmpty();
        trace.Notes.Should().Contain(n => n.StartsWith("hybrid mode's per-phase switches and faults from the kernel are not used: the kernel's switch and fault programs could not be attached", StringComparison.Ordinal));
    }

    [Fact]
    public void A_phases_faults_are_not_measured_when_the_phase_counter_did_not_run()
    {
        var trace = Hybrid(null, counterRan: false);

        trace.Phase("step").MinorFaults().IsMeasured.Should().BeFalse();
        trace.Phase("step").MajorFaults().IsMeasured.Should().BeFalse();
        trace.PhaseActivityCounted.Should().BeFalse();
    }

    [Fact]
    public void A_phases_faults_are_not_measured_when_a_kernel_count_cannot_be_placed_in_its_runs()
    {
        var activity = Activity();
        activity.Add(new KernelActivityCell(Mix(99), Main, 0, 0, 4, 0, 0));

        var trace = Hybrid(activity);

        trace.Phase("step").MinorFaults().IsMeasured.Should().BeFalse("a count whose set no marker chain names may be the phase's");
        trace.PhaseActivityUnmeasured.Should().StartWith("1 open set(s) of the kernel's counts match no chain of marker records");
    }

    [Fact]
    public void A_phase_the_counter_does_not_know_is_not_measured_from_its_counts()
    {
        // The same windows, opened by the tracer's caller rather than gpuos markers: no kernel set holds such a run.
        var tracerPhases = Runs.Select(r => r with { Origin = PhaseOrigin.Tracer, BeginSequence = 0 }).Concat(Runs).ToList();
        var renamed = tracerPhases.Select((p, i) => i < Runs.Length ? p with { Name = "outer", Path = "outer" } : p).ToList();

        var trace = Hybrid(Activity(), phases: renamed);

        trace.Phase("outer").MinorFaults().IsMeasured.Should().BeFalse("the kernel counts only gpuos phase runs");
        trace.Phase("step").MinorFaults().Value.Should().Be(3);
    }

    [Fact]
    public void Where_faults_were_recorded_as_events_a_phase_counts_the_events_and_not_the_kernels_counts_again()
    {
        var activity = Activity();
        activity[0] = activity[0] with { MinorFaults = 50 };

        var trace = Hybrid(activity, faultsRecorded: true);

        trace.Phase("step").MinorFaults().Value.Should().Be(3, "the 3 fault events in the runs");
        trace.Phase("step").MinorFaults().Source.Should().Be("perf");
    }

    [Fact]
    public void Without_switch_events_a_phases_switches_are_the_kernels_counts()
    {
        var trace = Hybrid(Activity(), switchesRecorded: false);

        trace.Phase("step").VoluntarySwitches().Value.Should().Be(1);
        trace.Phase("step").InvoluntarySwitches().Value.Should().Be(1);
        trace.View().VoluntarySwitches().Value.Should().Be(5, "the whole capture keeps its whole-run figure (rusage)");
    }

    [Fact]
    public void Without_fault_events_a_threads_faults_over_the_whole_capture_are_the_kernels_counts_of_that_thread()
    {
        var trace = Hybrid(Activity());

        var helper = trace.View().OnThreads(Helper).MinorFaults();

        helper.Value.Should().Be(1, "the helper took one fault, in run A; the whole capture's others are main's");
        helper.Source.Should().Contain("phase counter");
    }

    [Fact]
    public void Without_fault_events_or_the_kernels_counts_a_threads_faults_over_the_whole_capture_are_not_measured_never_every_threads()
    {
        var trace = Hybrid(null, counterRan: false);

        var helper = trace.View().OnThreads(Helper).MinorFaults();

        helper.IsMeasured.Should().BeFalse("the whole capture's 9 faults (rusage) are every thread's, not the helper's");
        helper.Source.Should().Contain("page faults were counted for the whole capture only (rusage), not per thread");
    }

    [Fact]
    public void Without_switch_events_or_the_kernels_counts_a_threads_switches_over_the_whole_capture_are_not_measured()
    {
        var trace = Hybrid(null, switchesRecorded: false, counterRan: false);

        trace.View().OnThreads(Helper).VoluntarySwitches().IsMeasured.Should().BeFalse("the whole capture's 5 switches (rusage) are every thread's");
        trace.AllThreads().VoluntarySwitches().Value.Should().Be(5, "every thread's whole capture is the total's");
    }

    [Fact]
    public void Without_fault_events_the_whole_captures_faults_are_the_kernels_counts_over_every_set_not_rusages()
    {
        var trace = Hybrid(Activity());

        trace.MinorFaults.Value.Should().Be(4, "2 and 1 in run A and 1 outside the runs; rusage's 9 also hold the launcher's before the exec");
        trace.MajorFaults.Value.Should().Be(1);
        trace.MinorFaults.Source.Should().Be("perf (the kernel's phase counter)");
        trace.AllThreads().MinorFaults().Value.Should().Be(4);
    }

    [Fact]
    public void Without_fault_events_and_the_kernels_counts_the_whole_captures_faults_stay_rusages()
    {
        var trace = Hybrid(null);

        trace.MinorFaults.Value.Should().Be(9);
        trace.MinorFaults.Source.Should().Be("rusage");
    }

    [Fact]
    public void A_baseline_of_a_hybrid_trace_holds_per_phase_faults_only_where_the_kernel_counted_them()
    {
        var counted = CaptureAbilities.Of(Hybrid(Activity()));
        var uncounted = CaptureAbilities.Of(Hybrid(null));

        counted.Unmeasured(whole: false, BaselineKind.PageFaults).Should().BeNull();
        uncounted.Unmeasured(whole: false, BaselineKind.PageFaults).Should().StartWith("page faults were not recorded one by one, nor counted per phase by hybrid mode's phase counter");
    }

    [Fact]
    public void A_planned_hybrid_capture_without_fault_events_holds_per_phase_faults_only_with_the_phase_counter()
    {
        var with = CaptureAbilities.Planned(GpuOsSpec.Tracing.Model.CaptureSourceKind.Perf, CaptureMode.Hybrid, apiCalls: false, faultEvents: false, phaseCounter: true);
        var without = CaptureAbilities.Planned(GpuOsSpec.Tracing.Model.CaptureSourceKind.Perf, CaptureMode.Hybrid, apiCalls: false, faultEvents: false, phaseCounter: false);
        var full = CaptureAbilities.Planned(GpuOsSpec.Tracing.Model.CaptureSourceKind.Perf, CaptureMode.Full, apiCalls: false, faultEvents: false, phaseCounter: true);

        with.Unmeasured(whole: false, BaselineKind.PageFaults).Should().BeNull();
        without.Unmeasured(whole: false, BaselineKind.PageFaults).Should().NotBeNull();
        full.Unmeasured(whole: false, BaselineKind.PageFaults).Should().NotBeNull("full mode runs no phase counter for its figures");
    }
}
