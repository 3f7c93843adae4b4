using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Checks;
using GpuOsSpec.Tracing.Checks.Rules;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tests.Checks;

/// <summary>
/// The rules on syscalls per API call judge a hybrid capture whose calls the kernel counted on the kernel's figures,
/// and never one whose calls were joined from perf samples or whose counter lost counts.
/// </summary>
public class SyscallsPerApiCallRuleTests
{
    private static readonly SyscallsPerLaunch Rule = new();

    // Launches in the steady phase, each making the given syscalls, in hybrid mode.
    private static Traces Launches(int syscalls) =>
        new Traces().Counted("getppid", 8).InMode(CaptureMode.Hybrid)
            .Api("cuLaunchKernel", 1_100_000, 1_100_100, syscalls).Api("cuLaunchKernel", 1_200_000, 1_200_100, syscalls);

    private static RuleOutcome Judge(Trace trace) => CheckRun.Evaluate(trace, [(Rule, RuleSettings.DefaultsOf(Rule))]).Rules.Should().ContainSingle().Subject;

    [Fact]
    public void Launches_counted_in_the_kernel_are_judged_in_hybrid_mode_on_their_counts()
    {
        var outcome = Judge(Launches(1).ApiCountedInKernel().Build());

        outcome.Result.Verdict.Should().Be(RuleVerdict.Failed, outcome.Result.Message);
        outcome.Result.Figure.Should().Be(1);
        outcome.Result.Scope.Should().Be("steady");
    }

    [Fact]
    public void Launches_counted_in_the_kernel_with_no_syscall_pass_in_hybrid_mode()
    {
        var outcome = Judge(Launches(0).ApiCountedInKernel().Build());

        outcome.Result.Verdict.Should().Be(RuleVerdict.Passed, outcome.Result.Message);
        outcome.Result.Figure.Should().Be(0);
    }

    [Fact]
    public void Launches_joined_from_samples_in_hybrid_mode_are_not_measured_with_the_reason()
    {
        var outcome = Judge(Launches(0).Build());

        outcome.Result.Verdict.Should().Be(RuleVerdict.Inconclusive);
        outcome.Result.Message.Should().Contain("joined from perf samples, not counted in the kernel").And.Contain("use --mode full");
    }

    [Fact]
    public void Launches_from_a_kernel_counter_that_lost_counts_never_pass()
    {
        var report = CheckRun.Evaluate(Launches(0).ApiCountedInKernel(lost: 2).Build(), [(Rule, RuleSettings.DefaultsOf(Rule))]);

        report.Verdict.Should().Be(RuleVerdict.Inconclusive);
        report.Rules.Single().Result.Verdict.Should().Be(RuleVerdict.Inconclusive);
        report.Reason.Should().Contain("the kernel's API counter lost 2 count(s)");
    }

    [Fact]
    public void In_hybrid_mode_the_evidence_names_the_syscalls_recorded_as_events_and_says_the_rest_were_counted_without_a_name()
    {
        var trace = Launches(3).ApiCountedInKernel().Call("futex", 1_100_050).Call("futex", 1_200_050).Build();

        var outcome = Judge(trace);

        outcome.Result.Verdict.Should().Be(RuleVerdict.Failed);
        outcome.Result.Message.Should().Contain("futex ×2").And.Contain("and 4 outside hybrid mode's decode set, counted in the kernel without a name");
        outcome.Result.Message.Should().NotContain("getppid", "the whole run's counted getppids are not known to be inside the launches");
    }

    [Fact]
    public void A_hybrid_plan_with_the_kernel_API_counter_may_run_the_rule_and_one_with_samples_is_refused()
    {
        var counted = CheckCapture.Planned(CaptureSourceKind.Perf, fullMode: false, apiCalls: true, faultEvents: true, apiCounter: true);
        var sampled = CheckCapture.Planned(CaptureSourceKind.Perf, fullMode: false, apiCalls: true, faultEvents: true, apiCounter: false);

        counted.Lacks(Rule).Should().BeNull("the kernel counts every syscall inside each launch");
        sampled.Lacks(Rule).Should().Be("rule syscalls-per-launch needs every syscall inside each API call (count the calls in the kernel: drop --api-samples, where gpuosspec sources says eBPF loads; or use --mode full), which a perf (hybrid, API calls sampled) capture does not record");
        CheckCapture.Planned(CaptureSourceKind.Perf, fullMode: true, apiCalls: true, faultEvents: true).Lacks(Rule).Should().BeNull("full mode records every syscall");
    }
}
