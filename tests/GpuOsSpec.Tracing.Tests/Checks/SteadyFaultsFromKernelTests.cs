using GpuOsSpec.Tracing.Checks;
using GpuOsSpec.Tracing.Checks.Rules;
using GpuOsSpec.Tracing.Model;
using static GpuOsSpec.Tracing.Tests.Support.CrossCheckCaptures;

namespace GpuOsSpec.Tracing.Tests.Checks;

/// <summary>
/// steady-no-fault-storm judges a hybrid capture without fault events on the faults hybrid mode's phase counter summed
/// per phase run and thread (captures built by hand: <see cref="Support.CrossCheckCaptures"/>, whose phase "step" runs
/// twice, its warm run B holding one major fault of the main thread), and never passes where the counter did not count
/// them or lost counts.
/// </summary>
public class SteadyFaultsFromKernelTests
{
    private static readonly SteadyPageFaults Rule = new();

    private static CheckReport Judge(Trace trace, double threshold) =>
        CheckRun.Evaluate(trace, [(Rule, RuleSettings.DefaultsOf(Rule) with { Threshold = threshold })]);

    [Fact]
    public void Without_fault_events_the_rule_fails_on_the_faults_the_kernel_counted_in_the_warm_runs_naming_the_thread()
    {
        var result = Judge(Hybrid(Activity()), threshold: 0).Rules.Single().Result;

        result.Verdict.Should().Be(RuleVerdict.Failed, result.Message);
        result.Figure.Should().Be(1, "run B, the one warm run, took one major fault; run A's three are the warm-up's");
        result.Scope.Should().Be("step");
        result.Message.Should().Contain("0 minor, 1 major, counted per phase run in the kernel (hybrid mode's phase counter; no fault events, so no time or address): 1 on tid 7 prog");
        result.Evidence.Should().ContainSingle().Which.Should().Be(new EvidenceItem("page faults", 1, "step", null, Main, "prog [Workload]"));
    }

    [Fact]
    public void Without_fault_events_the_rule_passes_on_the_kernels_counts_below_the_threshold()
    {
        var report = Judge(Hybrid(Activity()), threshold: 64);

        report.Verdict.Should().Be(RuleVerdict.Passed, report.Reason);
        report.Rules.Single().Result.Figure.Should().Be(1);
    }

    [Fact]
    public void Without_fault_events_a_phase_counter_that_counted_no_faults_leaves_the_rule_inconclusive_with_the_reason()
    {
        var report = Judge(Hybrid(null, "the kernel's switch and fault programs could not be attached (perf_event_open of a page-fault event on CPU 1 failed (EACCES))"), threshold: 64);

        var result = report.Rules.Single().Result;
        result.Verdict.Should().Be(RuleVerdict.Inconclusive, "no event and no kernel count saw the phase's faults");
        result.Message.Should().Contain("perf_event_open of a page-fault event on CPU 1 failed");
        result.Figure.Should().BeNull();
    }

    [Fact]
    public void Without_fault_events_a_phase_counter_that_did_not_run_leaves_the_rule_inconclusive()
    {
        var result = Judge(Hybrid(null, counterRan: false), threshold: 64).Rules.Single().Result;

        result.Verdict.Should().Be(RuleVerdict.Inconclusive);
        result.Message.Should().Contain("the phase counter did not run");
    }

    [Fact]
    public void Without_fault_events_a_phase_counter_that_lost_counts_makes_the_check_inconclusive_never_a_pass()
    {
        var report = Judge(Hybrid(Activity(), counterLost: 2), threshold: 64);

        report.Verdict.Should().Be(RuleVerdict.Inconclusive);
        report.Reason.Should().Contain("hybrid mode's in-kernel counters lost 2 count(s)");
        report.Rules.Single().Result.Verdict.Should().Be(RuleVerdict.Inconclusive);
        report.Rules.Single().Result.Message.Should().Contain("the rule alone would have passed");
    }

    [Fact]
    public void With_fault_events_the_rule_judges_the_events_with_their_first_occurrence_as_before()
    {
        var result = Judge(Hybrid(Activity(), faultsRecorded: true), threshold: 0).Rules.Single().Result;

        result.Verdict.Should().Be(RuleVerdict.Failed);
        result.Figure.Should().Be(1);
        result.Message.Should().Contain("major fault at 0x4000");
    }

    [Theory]
    [InlineData(false, true, true, null)]
    [InlineData(false, false, true, null)]
    [InlineData(false, true, false, null)]
    [InlineData(false, false, false, "rule steady-no-fault-storm needs page faults counted per phase run (use --source perf without --no-fault-events, or --mode hybrid with the gpuos markers read where gpuosspec sources says its phase counter loads), which a perf (hybrid, no fault events) capture does not record")]
    [InlineData(true, false, true, "rule steady-no-fault-storm needs page faults counted per phase run (use --source perf without --no-fault-events, or --mode hybrid with the gpuos markers read where gpuosspec sources says its phase counter loads), which a perf (full, no fault events) capture does not record")]
    public void A_plan_may_run_the_rule_without_fault_events_only_where_hybrid_modes_phase_counter_is_to_run(bool fullMode, bool faultEvents, bool phaseCounter, string? lacks)
    {
        var planned = CheckCapture.Planned(CaptureSourceKind.Perf, fullMode, apiCalls: false, faultEvents, phaseCounter: phaseCounter);

        planned.Lacks(Rule).Should().Be(lacks);
    }

    [Fact]
    public void A_rule_that_needs_every_fault_as_an_event_is_refused_where_the_phase_counter_is_to_count_them_alone_and_told_of_the_flag()
    {
        var planned = CheckCapture.Planned(CaptureSourceKind.Perf, fullMode: false, apiCalls: false, faultEvents: false, phaseCounter: true);

        planned.Lacks(new FirstFaultRule()).Should().Contain("every page fault as an event").And.Contain("with --fault-events");
    }

    // A user's rule that judges when faults came, which only events tell.
    private sealed class FirstFaultRule : SteadyCountRule
    {
        public override string Id => "first-fault";

        public override string Title => "A test rule on fault events";

        public override string Basis => "a test";

        public override CheckNeeds Needs => CheckNeeds.FaultEvents;

        protected override string What => "page faults";

        protected override (Measurement Count, string Evidence, IReadOnlyList<EvidenceItem> Items) Count(CheckScope scope) =>
            (new Measurement(scope.View.PageFaults.LongCount(), "perf"), "", []);
    }
}
