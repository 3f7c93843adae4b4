using System.Text.Json;
using GpuOsSpec.Tracing.Tests.Support;
using GpuOsSpec.Workloads.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Check;

/// <summary>
/// Every built-in rule fails on a program that breaks it, naming the phase, the top syscalls or events, the thread and
/// the first occurrence, and passes on one that keeps it: C programs with gpuos phases on the CPU
/// (tests/native/rules.c, with a libcuda.so.1 stand-in for the rules about launches and waits) and catalogue workloads
/// on PoCL.
/// </summary>
[Collection(SerialCollection.Name)]
public class RulesBrokenAndKeptTests
{
    [SkippableTheory]
    [InlineData("steady-no-ioctl", "ioctl", "TCGETS")]
    [InlineData("steady-no-mapping", "mmap", "mmap")]
    [InlineData("steady-no-file-open", "open", "openat")]
    [InlineData("steady-no-thread-start", "thread", "thread ")]
    [InlineData("steady-no-fault-storm", "faults", "minor page fault")]
    [InlineData("no-sched-yield-storm", "yield", "sched_yield calls")]
    [InlineData("no-switch-storm", "switch", "context switches")]
    public void A_rule_fails_on_a_program_that_breaks_it_in_its_steady_phase_with_the_evidence(string rule, string action, string evidence)
    {
        Requires.Perf();

        var outcome = CheckRuns.InProcess([], NativePrograms.Rules, action);

        outcome.Code.Should().Be(1, outcome.ToString());
        FailedWithEvidence(outcome, rule, evidence);
    }

    [SkippableTheory]
    [InlineData("syscalls-per-launch", "launch-syscall", "getppid")]
    [InlineData("steady-no-allocation-churn", "churn", "cuMemAlloc_v2")]
    [InlineData("waits-park", "wait-spin", "cuStreamSynchronize")]
    [InlineData("syscalls-per-wait", "wait-yield", "sched_yield")]
    public void An_API_rule_fails_on_a_program_whose_calls_break_it(string rule, string action, string evidence)
    {
        Requires.Perf();

        var outcome = CheckRuns.WithFakeCuda([], NativePrograms.Rules, action);

        outcome.Code.Should().Be(1, outcome.ToString());
        FailedWithEvidence(outcome, rule, evidence);
    }

    [SkippableTheory]
    [InlineData("steady-no-ioctl")]
    [InlineData("steady-no-mapping")]
    [InlineData("steady-no-file-open")]
    [InlineData("steady-no-thread-start")]
    [InlineData("steady-no-allocation-churn")]
    [InlineData("steady-no-fault-storm")]
    [InlineData("no-sched-yield-storm")]
    [InlineData("no-switch-storm")]
    public void A_rule_passes_on_a_program_that_keeps_it_although_its_setup_phase_does_all_of_it(string rule)
    {
        Requires.Perf();

        var outcome = CheckRuns.Keep;

        outcome.Code.Should().Be(0, outcome.ToString());
        outcome.Verdict(rule).Should().Be("passed", outcome.ToString());
        outcome.Rule(rule).GetProperty("scope").GetString().Should().Be("steady");
    }

    [SkippableTheory]
    [InlineData("syscalls-per-launch")]
    [InlineData("syscalls-per-wait")]
    [InlineData("waits-park")]
    [InlineData("steady-no-allocation-churn")]
    public void An_API_rule_passes_on_a_program_whose_launches_and_waits_keep_it(string rule)
    {
        Requires.Perf();

        var outcome = CheckRuns.Gpu;

        outcome.Code.Should().Be(0, outcome.ToString());
        outcome.Verdict(rule).Should().Be("passed", outcome.ToString());
        outcome.Rule(rule).GetProperty("figure").ValueKind.Should().Be(JsonValueKind.Number);
    }

    [SkippableFact]
    public void The_launch_rule_is_judged_in_hybrid_mode_on_the_syscalls_the_kernel_counted_inside_each_launch()
    {
        Requires.Hybrid();

        // rules launch-syscall: each launch makes one getppid, which hybrid mode records as no event, only as a count.
        var outcome = CheckRuns.WithFakeCuda(["--mode", "hybrid"], NativePrograms.Rules, "launch-syscall");

        outcome.Code.Should().Be(1, outcome.ToString());
        var entry = outcome.Rule("syscalls-per-launch");
        entry.GetProperty("verdict").GetString().Should().Be("failed", outcome.ToString());
        entry.GetProperty("scope").GetString().Should().Be("steady");
        entry.GetProperty("figure").GetDouble().Should().Be(1, "each launch made exactly one getppid, counted in the kernel with its call");
        entry.GetProperty("message").GetString().Should().Contain("outside hybrid mode's decode set, counted in the kernel without a name");
    }

    [SkippableFact]
    public void The_API_rules_pass_in_hybrid_mode_on_launches_and_waits_that_keep_them()
    {
        Requires.Hybrid();

        var outcome = CheckRuns.WithFakeCuda(["--mode", "hybrid"], NativePrograms.Rules, "gpu");

        outcome.Code.Should().Be(0, outcome.ToString());
        outcome.Verdict("syscalls-per-launch").Should().Be("passed", outcome.ToString());
        outcome.Rule("syscalls-per-launch").GetProperty("figure").GetDouble().Should().Be(0);
        outcome.Verdict("syscalls-per-wait").Should().Be("passed", outcome.ToString());
    }

    [SkippableFact]
    public void The_rules_on_syscalls_per_API_call_are_refused_before_the_run_in_hybrid_mode_with_sampled_API_calls()
    {
        Requires.Hybrid();

        var outcome = CheckRuns.WithFakeCuda(["--mode", "hybrid", "--api-samples"], NativePrograms.Rules, "launch-syscall");

        outcome.Code.Should().Be(2, outcome.ToString());
        outcome.Err.Should().Contain("rule syscalls-per-launch needs every syscall inside each API call").And.Contain("perf (hybrid, API calls sampled)");
    }

    [SkippableFact]
    public void PoCL_buffers_created_and_released_in_each_steady_step_break_the_churn_rule()
    {
        Requires.Perf();
        RequireBackend.Named("opencl");

        var outcome = CheckRuns.InProcess(["--api", "opencl"], "dotnet", CheckRuns.Cli, "run", "allocation-churn", "--backend", "opencl", "--smoke", "--via", "gpuos", "--source", "proc");

        outcome.Code.Should().Be(1, outcome.ToString());
        FailedWithEvidence(outcome, "steady-no-allocation-churn", "clCreateBuffer");
    }

    [SkippableFact]
    public void A_PoCL_launch_storm_keeps_the_churn_rule()
    {
        Requires.Perf();
        RequireBackend.Named("opencl");

        var outcome = CheckRuns.InProcess(["--api", "opencl"], "dotnet", CheckRuns.Cli, "run", "launch-storm", "--backend", "opencl", "--smoke", "--via", "gpuos", "--source", "proc");

        outcome.Verdict("steady-no-allocation-churn").Should().Be("passed", outcome.ToString());
    }

    [SkippableFact]
    public void PoCL_paced_launches_break_the_launch_rule_since_each_wakes_an_idle_worker()
    {
        Requires.Perf();
        RequireBackend.Named("opencl");

        var outcome = CheckRuns.InProcess(["--api", "opencl"], "dotnet", CheckRuns.Cli, "run", "submission-cadence", "--backend", "opencl", "--smoke", "--via", "gpuos", "--source", "proc");

        outcome.Code.Should().Be(1, outcome.ToString());
        FailedWithEvidence(outcome, "syscalls-per-launch", "futex");
    }

    private static void FailedWithEvidence(CheckRuns.Outcome outcome, string rule, string evidence)
    {
        var entry = outcome.Rule(rule);
        entry.GetProperty("verdict").GetString().Should().Be("failed", outcome.ToString());
        entry.GetProperty("scope").GetString().Should().Be("steady");
        entry.GetProperty("message").GetString().Should().StartWith("Expected phase \"steady\"").And.Contain("but found");
        entry.GetProperty("figure").GetDouble().Should().BeGreaterThan(entry.GetProperty("limit").GetDouble());
        var first = entry.GetProperty("evidence").EnumerateArray().Should().NotBeEmpty().And.Subject.First();
        first.GetProperty("what").GetString().Should().Contain(evidence);
        first.GetProperty("scope").GetString().Should().Be("steady");
        first.GetProperty("tid").ValueKind.Should().Be(JsonValueKind.Number, "the evidence names the thread");
        first.GetProperty("firstAtMs").ValueKind.Should().Be(JsonValueKind.Number, "and the first occurrence");
    }
}
