using System.Text.Json;
using GpuOsSpec.Tracing.Checks;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Check;

/// <summary>
/// gpuosspec check passes only on what it measured: a rule that needs phases does not apply to a program without them,
/// a check that no rule applied to, a failed command and a figure the capture could not measure are inconclusive (exit
/// 3), and a capture that cannot measure an enabled rule is refused before the command runs (exit 2).
/// </summary>
[Collection(SerialCollection.Name)]
public class CheckVerdictTests
{
    private static string Temp(string name, string extension = "json") => Path.Combine(Path.GetTempPath(), $"gpuosspec-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}.{extension}");

    // A command that leaves a file behind: refusing "before the command runs" means the file is never made.
    private static (string[] Command, string Witness) Witness()
    {
        string witness = Path.Combine(Path.GetTempPath(), $"gpuosspec-ran-{Guid.NewGuid():N}");
        return (["/bin/sh", "-c", $"touch {witness}"], witness);
    }

    private static string RulesFile(string json)
    {
        string path = Temp("rules");
        File.WriteAllText(path, json);
        return path;
    }

    [SkippableFact]
    public void A_program_without_phases_is_judged_as_a_whole_run_and_the_rules_about_steady_phases_do_not_apply()
    {
        Requires.Perf();

        var outcome = CheckRuns.InProcess([], "/bin/true");

        outcome.Code.Should().Be(0, outcome.ToString());
        outcome.Verdict("steady-no-ioctl").Should().Be("not applicable");
        outcome.Rule("steady-no-ioctl").GetProperty("message").GetString().Should().Contain("the program marked no phases");
        outcome.Verdict("no-sched-yield-storm").Should().Be("passed");
        outcome.Rule("no-sched-yield-storm").GetProperty("scope").GetString().Should().Be("(whole run)");
    }

    [SkippableFact]
    public void A_check_that_no_rule_applies_to_is_inconclusive_never_a_pass()
    {
        Requires.Perf();
        var off = CheckRules.BuiltIn.Where(r => r.Id != "steady-no-ioctl").Select(r => $"\"{r.Id}\": {{ \"enabled\": false }}");
        string rules = RulesFile($"{{ \"rules\": {{ {string.Join(", ", off)} }} }}");

        var outcome = CheckRuns.InProcess(["--rules", rules], "/bin/true");

        outcome.Code.Should().Be(3, outcome.ToString());
        outcome.Report.GetProperty("verdict").GetString().Should().Be("inconclusive");
        outcome.Report.GetProperty("reason").GetString().Should().Contain("no rule applied");
        outcome.Report.GetProperty("rules").GetArrayLength().Should().Be(1, "rules turned off are not run");
    }

    [SkippableFact]
    public void A_command_that_fails_makes_the_check_inconclusive_and_no_rule_passes()
    {
        Requires.Perf();

        var outcome = CheckRuns.InProcess([], NativePrograms.Spin, "3", "1", "7");

        outcome.Code.Should().Be(3, outcome.ToString());
        outcome.Report.GetProperty("reason").GetString().Should().Contain("exited with 7");
        outcome.Report.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("verdict").GetString()).Should().NotContain("passed");
        outcome.Rule("steady-no-ioctl").GetProperty("message").GetString().Should().Contain("exited with 7").And.Contain("would have passed");
    }

    [SkippableFact]
    public void A_user_rule_over_a_phase_is_judged_in_hybrid_mode_on_the_kernels_per_phase_counts_as_in_full_mode()
    {
        // Hybrid mode counts fsync in the kernel; its phase counter places each call in its phase run, so the rule
        // fails as it does in full mode. Where the counter does not run, a phase's fsync count is not measured and the
        // rule is inconclusive (NeverPassOnNothingTests).
        Requires.Hybrid();

        var outcome = CheckRuns.InProcess(["--mode", "hybrid", "--rules-assembly", CheckRuns.SampleRules], NativePrograms.Rules, "fsync");

        outcome.Code.Should().Be(1, outcome.ToString());
        outcome.Verdict("steady-no-fsync").Should().Be("failed");
        outcome.Rule("steady-no-fsync").GetProperty("message").GetString().Should().Contain("found 4 in 4 warm run(s)");
    }

    [SkippableFact]
    public void A_user_rule_from_an_assembly_fails_on_a_program_that_breaks_it()
    {
        Requires.Perf();

        var outcome = CheckRuns.InProcess(["--rules-assembly", CheckRuns.SampleRules], NativePrograms.Rules, "fsync");

        outcome.Code.Should().Be(1, outcome.ToString());
        outcome.Verdict("steady-no-fsync").Should().Be("failed");
        outcome.Rule("steady-no-fsync").GetProperty("message").GetString().Should().Contain("fsync ×4");
    }

    [SkippableFact]
    public void A_user_rule_from_an_assembly_passes_on_a_program_that_keeps_it_and_takes_its_threshold_from_the_rules_file()
    {
        Requires.Perf();
        string rules = RulesFile("""{ "rules": { "steady-no-fsync": { "threshold": 1 } } }""");

        var kept = CheckRuns.InProcess(["--rules-assembly", CheckRuns.SampleRules], NativePrograms.Rules, "keep");
        var tolerated = CheckRuns.InProcess(["--rules-assembly", CheckRuns.SampleRules, "--rules", rules], NativePrograms.Rules, "fsync");

        kept.Code.Should().Be(0, kept.ToString());
        kept.Verdict("steady-no-fsync").Should().Be("passed");
        tolerated.Verdict("steady-no-fsync").Should().Be("passed", "one fsync per warm run is within a threshold of 1");
        tolerated.Rule("steady-no-fsync").GetProperty("figure").GetDouble().Should().Be(1);
    }

    [SkippableFact]
    public void A_yaml_rules_file_sets_thresholds_and_phases_as_a_json_one_does()
    {
        Requires.Perf();
        string yaml = Temp("rules", "yaml");
        File.WriteAllText(yaml, "schema: gpuosspec.rules/1\nrules:\n  steady-no-ioctl:\n    threshold: 1.5\n  no-switch-storm: { windowMs: 5, phases: [steady] }\n");

        var outcome = CheckRuns.InProcess(["--rules", yaml], NativePrograms.Rules, "ioctl");

        outcome.Code.Should().Be(0, outcome.ToString());
        outcome.Rule("steady-no-ioctl").GetProperty("threshold").GetDouble().Should().Be(1.5);
        outcome.Verdict("steady-no-ioctl").Should().Be("passed");
        outcome.Rule("no-switch-storm").GetProperty("parameters").GetProperty("windowMs").GetDouble().Should().Be(5);
        outcome.Rule("no-switch-storm").GetProperty("phasesJudged")[0].GetString().Should().Be("steady");
    }

    [Theory]
    [InlineData("full")]
    [InlineData("hybrid", "--no-gpuos-markers")]
    public void A_capture_that_cannot_measure_an_enabled_rule_is_refused_before_the_command_runs(string mode, params string[] options)
    {
        // Without fault events, a phase's faults are counted only by hybrid mode's phase counter: full mode runs none,
        // and hybrid mode none without the markers.
        var (command, witness) = Witness();

        var (code, _, err) = Support.Cli.Run(["check", "--no-fault-events", "--source", "perf", "--mode", mode, .. options, "--", .. command]);

        code.Should().Be(2, err);
        err.Should().Contain("rule steady-no-fault-storm needs page faults counted per phase run").And.Contain("turn the rule off in a rules file");
        File.Exists(witness).Should().BeFalse("the refusal comes before the command runs");
    }

    [SkippableFact]
    public void Without_fault_events_the_fault_storm_rule_is_judged_in_hybrid_mode_on_the_faults_the_phase_counter_summed()
    {
        // rules faults: each steady step drops 1,024 pages and touches them again, taken as no event, only as the
        // kernel's per-phase sums.
        Requires.Hybrid();

        var outcome = CheckRuns.InProcess(["--mode", "hybrid", "--no-fault-events"], NativePrograms.Rules, "faults");

        outcome.Code.Should().Be(1, outcome.ToString());
        var entry = outcome.Rule("steady-no-fault-storm");
        entry.GetProperty("verdict").GetString().Should().Be("failed", outcome.ToString());
        entry.GetProperty("scope").GetString().Should().Be("steady");
        entry.GetProperty("figure").GetDouble().Should().BeGreaterThan(64);
        entry.GetProperty("message").GetString().Should().Contain("counted per phase run in the kernel (hybrid mode's phase counter; no fault events");
    }

    [SkippableFact]
    public void Without_fault_events_the_fault_storm_rule_passes_in_hybrid_mode_on_a_program_that_keeps_it()
    {
        Requires.Hybrid();

        var outcome = CheckRuns.InProcess(["--mode", "hybrid", "--no-fault-events"], NativePrograms.Rules, "keep");

        outcome.Code.Should().Be(0, outcome.ToString());
        outcome.Verdict("steady-no-fault-storm").Should().Be("passed", outcome.ToString());
        outcome.Rule("steady-no-fault-storm").GetProperty("figure").ValueKind.Should().Be(JsonValueKind.Number);
    }

    [Fact]
    public void The_proc_source_is_refused_before_the_command_runs()
    {
        var (command, witness) = Witness();

        var (code, _, err) = Support.Cli.Run(["check", "--source", "proc", "--", .. command]);

        code.Should().Be(2);
        err.Should().Contain("the proc source measures no syscalls");
        File.Exists(witness).Should().BeFalse();
    }

    [Theory]
    [InlineData("""{ "rules": { "no-such-rule": {} } }""", "there is no rule \"no-such-rule\". The rules are: steady-no-ioctl,")]
    [InlineData("""{ "rules": { "steady-no-ioctl": { "threshold": -1 } } }""", "rules.steady-no-ioctl.threshold is -1; it takes a finite number of at least 0")]
    [InlineData("""{ "rules": { "steady-no-ioctl": { "threshold": "1" } } }""", "rules.steady-no-ioctl.threshold is \"1\"")]
    [InlineData("""{ "rules": { "steady-no-ioctl": { "treshold": 1 } } }""", "rules.steady-no-ioctl.treshold is not a setting")]
    [InlineData("""{ "rules": { "no-switch-storm": { "windowMs": 0 } } }""", "rules.no-switch-storm.windowMs is 0; it takes a finite number above 0")]
    [InlineData("""{ "rules": { "steady-no-ioctl": { "threshold": 1, "threshold": 2 } } }""", "is not valid JSON")]
    [InlineData("""{ "schema": "gpuosspec.rules/9" }""", "this gpuosspec reads gpuosspec.rules/1")]
    [InlineData("""{ "phases": [] }""", "phases is a list of phase paths or patterns")]
    [InlineData("""[1, 2]""", "a rules file is an object")]
    public void A_rules_file_with_a_mistake_is_refused_before_the_command_runs_naming_it(string json, string reason)
    {
        string rules = RulesFile(json);
        var (command, witness) = Witness();

        var (code, output, err) = Support.Cli.Run(["check", "--rules", rules, "--", .. command]);

        code.Should().Be(2, err);
        err.Should().Contain(reason).And.NotContain("This is a bug");
        output.Should().BeEmpty();
        File.Exists(witness).Should().BeFalse();
    }

    [Fact]
    public void A_yaml_rules_file_with_a_duplicate_key_is_refused()
    {
        string yaml = Temp("rules", "yml");
        File.WriteAllText(yaml, "rules:\n  steady-no-ioctl: { threshold: 1 }\n  steady-no-ioctl: { threshold: 2 }\n");
        var (command, witness) = Witness();

        var (code, _, err) = Support.Cli.Run(["check", "--rules", yaml, "--", .. command]);

        code.Should().Be(2, err);
        err.Should().Contain(yaml);
        File.Exists(witness).Should().BeFalse();
    }

    [Fact]
    public void A_rules_assembly_that_is_not_one_is_refused_before_the_command_runs()
    {
        var (command, witness) = Witness();

        var (code, _, err) = Support.Cli.Run(["check", "--rules-assembly", "/bin/true", "--", .. command]);

        code.Should().Be(2, err);
        err.Should().Contain("--rules-assembly /bin/true could not be loaded as a .NET assembly");
        File.Exists(witness).Should().BeFalse();
    }

    [Fact]
    public void A_junit_file_in_a_missing_folder_is_refused_before_the_command_runs()
    {
        var (command, witness) = Witness();

        var (code, _, err) = Support.Cli.Run(["check", "--junit", "/nonexistent-folder/check.xml", "--", .. command]);

        code.Should().Be(2);
        err.Should().Contain("the folder /nonexistent-folder does not exist");
        File.Exists(witness).Should().BeFalse();
    }
}
