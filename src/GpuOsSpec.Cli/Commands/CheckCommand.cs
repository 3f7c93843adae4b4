using System.CommandLine;

namespace GpuOsSpec.Cli.Commands;

/// <summary>
/// `gpuosspec check [--rules FILE] [--rules-assembly DLL] [--junit FILE] [--json FILE|-] [--summary FILE] [capture
/// options] -- COMMAND`: traces the command once and holds it to ready-made OS-behaviour rules (and a user's own),
/// with a verdict and evidence per rule, as text, JUnit XML, JSON and Markdown.
/// </summary>
internal static class CheckCommand
{
    internal static Command Create()
    {
        const string verb = "check";
        var capture = new CommandCapture();
        var rulesFile = new Option<FileInfo?>("--rules") { Description = "A rules file (JSON, or YAML as .yml/.yaml; schema gpuosspec.rules/1): which rules run, their thresholds, steady phases and parameters." };
        var assemblies = new Option<FileInfo[]>("--rules-assembly") { Description = "A .NET assembly whose public ICheckRule classes add rules (repeatable).", AllowMultipleArgumentsPerToken = false };
        var junit = new Option<FileInfo?>("--junit") { Description = "Also write JUnit XML to FILE: one test case per rule, a failure with the evidence, skipped where a rule does not apply." };
        var json = new JsonOutput("every rule's verdict, figure and evidence (schema gpuosspec.check/1)");
        var summary = new Option<FileInfo?>("--summary") { Description = "Also append the verdicts as Markdown to FILE (e.g. $GITHUB_STEP_SUMMARY)." };
        var cmd = new Command(verb, "Trace the command (by default in full perf mode, so steady phases have every figure) and hold it to OS-behaviour rules: a steady phase\n" +
            "makes no ioctl, maps no memory, opens no file, starts no thread; no sched_yield, switch or fault storm; launches and waits cheap (with --api).\n" +
            "Exit 0: every rule that applies passed; 1: a rule failed; 2: refused before the run (bad input, a capture that cannot measure an enabled rule);\n" +
            "3: inconclusive (events lost, the command failed, a rule not measured, no rule applied): never a pass.\n" +
            "Example: gpuosspec check --junit check.xml -- python3 train.py")
        {
            rulesFile, assemblies, junit, json.Option, summary,
        };
        capture.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var jsonTarget = json.Of(parse);
            if (OutputPaths.First(jsonTarget?.Problem(verb),
                    parse.GetValue(junit) is { } junitFile ? OutputPaths.FileProblem(verb, "--junit", junitFile.FullName) : null,
                    parse.GetValue(summary) is { } summaryFile ? OutputPaths.FileProblem(verb, "--summary", summaryFile.FullName) : null) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            string? rulesPath = parse.GetValue(rulesFile)?.FullName;
            IReadOnlyList<(ICheckRule Rule, RuleSettings Settings)> settled;
            try
            {
                var rules = RuleAssemblies.With((parse.GetValue(assemblies) ?? []).Select(f => f.FullName).ToList());
                settled = rulesPath is null ? RulesFile.Defaults(rules) : RulesFile.Read(rulesPath, rules);
            }
            catch (InvalidDataException ex)
            {
                return Usage.Refuse($"gpuosspec {verb}: {ex.Message}");
            }
            catch (IOException ex)
            {
                return Usage.Refuse($"gpuosspec {verb}: {ex.Message}");
            }
            var enabled = settled.Where(s => s.Settings.Enabled).ToList();
            if (enabled.Count == 0)
            {
                return Usage.Refuse($"gpuosspec {verb}: the rules file turns every rule off, so nothing would be judged. Fix: enable at least one rule.");
            }
            var (plan, refused) = capture.Plan(parse, verb, new CaptureDefaults(CaptureSourceKind.Auto, PerfMode.Full, ApiLibraries.None));
            if (plan is null)
            {
                return refused;
            }
            if (plan.Source == CaptureSourceKind.Proc)
            {
                return Usage.Refuse($"gpuosspec {verb}: the proc source measures no syscalls, context switches or faults one by one, so no rule could judge the run. Fix: --source perf (as root) or --source strace.");
            }
            bool api = plan.Options.ApiLibraries != ApiLibraries.None;
            // The syscalls inside API calls in hybrid mode come from the kernel's API counter, planned where it can
            // load and --api-samples is not asked; a run whose counter did not run leaves those rules not measured.
            bool apiCounter = api && plan.Source == CaptureSourceKind.Perf && !plan.Options.ApiSamples && new PerfEventSource().CheckApiCounter().Available;
            // A phase's faults in hybrid mode come from its phase counter too, planned where the markers are read and
            // it can load; a run whose counter did not count leaves them not measured, and one that lost counts is
            // inconclusive.
            bool phaseCounter = plan.Source == CaptureSourceKind.Perf && plan.Mode != PerfMode.Full && plan.Options.GpuOsLibrary is not null
                && new PerfEventSource().CheckPhaseCounter().Available;
            // Where the counter is to run, faults are events only when asked (--fault-events, --api-samples).
            bool faultEvents = plan.Options.RecordPageFaults && (plan.Options.FaultEventsWhereCounted || !phaseCounter);
            var planned = CheckCapture.Planned(plan.Source, plan.Mode == PerfMode.Full, api, faultEvents, apiCounter, phaseCounter);
            var lacking = enabled.Select(s => planned.Lacks(s.Rule)).OfType<string>().ToList();
            if (lacking.Count > 0)
            {
                return Usage.Refuse($"gpuosspec {verb}: {string.Join("; ", lacking)}. Fix: capture so, or turn the rule off in a rules file ({{\"rules\": {{\"ID\": {{\"enabled\": false}}}}}}).");
            }
            var (trace, failed) = CommandCapture.Run(plan, verb);
            if (trace is null)
            {
                return failed;
            }
            var report = CheckRun.Evaluate(trace, enabled);
            (jsonTarget?.HumanOutput ?? Console.Out).Write(CheckText.Render(trace, report));
            if (parse.GetValue(junit) is { } junitOut)
            {
                JUnitReport.Write(junitOut.FullName, trace, report, rulesPath);
                Console.Error.WriteLine($"JUnit written to {junitOut.FullName}");
            }
            if (parse.GetValue(summary) is { } summaryOut)
            {
                File.AppendAllText(summaryOut.FullName, CheckText.Markdown(trace, report) + Environment.NewLine);
            }
            jsonTarget?.Write(stream => CheckJson.Write(stream, trace, report, rulesPath));
            if (report.Reason is { } reason)
            {
                Console.Error.WriteLine($"gpuosspec {verb}: inconclusive: {reason}.");
            }
            return report.Verdict switch
            {
                RuleVerdict.Passed => ExitCodes.Success,
                RuleVerdict.Failed => ExitCodes.Failed,
                _ => ExitCodes.Inconclusive,
            };
        });
        return cmd;
    }
}
