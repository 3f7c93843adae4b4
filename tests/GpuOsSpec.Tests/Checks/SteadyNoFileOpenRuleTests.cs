using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Checks;
using GpuOsSpec.Tracing.Checks.Rules;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tests.Checks;

/// <summary>The rule that a steady phase opens no file names, when it fails, the file that was opened.</summary>
public class SteadyNoFileOpenRuleTests
{
    private static readonly SteadyNoFileOpen Rule = new();

    private static RuleOutcome Judge(Trace trace) => CheckRun.Evaluate(trace, [(Rule, RuleSettings.DefaultsOf(Rule))]).Rules.Should().ContainSingle().Subject;

    [Fact]
    public void A_steady_phase_that_opened_a_file_fails_the_rule_with_the_file_named()
    {
        var outcome = Judge(new Traces().Open("/sys/fs/cgroup/memory.max", 1_100_000).Build());

        outcome.Result.Verdict.Should().Be(RuleVerdict.Failed, outcome.Result.Message);
        outcome.Result.Message.Should().Contain("openat ×1 (first at +0.100 ms, tid 100 testhost [Workload]; files: /sys/fs/cgroup/memory.max ×1)");
    }

    [Fact]
    public void A_steady_open_whose_path_was_not_read_fails_the_rule_saying_the_path_was_not_read()
    {
        var outcome = Judge(new Traces().Open(null, 1_100_000).Build());

        outcome.Result.Verdict.Should().Be(RuleVerdict.Failed, outcome.Result.Message);
        outcome.Result.Message.Should().Contain("files: path not read ×1");
    }
}
