using System.CommandLine;
using GpuOsSpec.Tracing.Baselines;
using GpuOsSpec.Tracing.Export;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec baseline record|compare`: an OS-interaction profile of a run, and a later run held to it.</summary>
internal static class BaselineCommand
{
    internal static Command Create()
    {
        var cmd = new Command("baseline", "Record a command's OS-interaction profile (per phase, role, syscall, ioctl and API call), and hold later runs to it in CI.");
        cmd.Subcommands.Add(Record());
        cmd.Subcommands.Add(Compare());
        return cmd;
    }

    private static Command Record()
    {
        var capture = new CommandCapture();
        var output = new Option<FileInfo>("--out") { Description = "Where the profile goes (JSON, schema gpuosspec.baseline/1).", Required = true };
        var cmd = new Command("record", "Run the command under tracing and write its profile.\nExample: gpuosspec baseline record --out base.json --mode full -- python3 train.py") { output };
        capture.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var file = parse.GetValue(output)!;
            if (OutputPaths.FileProblem("baseline record", "--out", file.FullName) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            var (trace, failed) = capture.Run(parse, "baseline record");
            if (trace is null)
            {
                return failed;
            }
            if ((trace.ExitCode ?? 0) != 0)
            {
                Console.Error.WriteLine($"gpuosspec baseline record: the command exited with {trace.ExitCode}; a failed run is not a baseline.");
                return trace.ExitCode ?? 1;
            }
            BaselineProfile profile;
            try
            {
                profile = BaselineProfile.Of(trace);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"gpuosspec baseline record: {ex.Message}");
                return TraceCommand.InconclusiveExitCode;
            }
            profile.Save(file.FullName);
            Console.Error.WriteLine($"baseline of {profile.Entries.Count} figures ({profile.PhaseRuns.Count} phase(s)) written to {file.FullName}");
            return 0;
        });
        return cmd;
    }

    private static Command Compare()
    {
        var capture = new CommandCapture();
        var baseline = new Argument<FileInfo>("baseline") { Description = "The profile baseline record wrote." };
        var relative = new Option<double>("--tolerance") { Description = "Growth allowed, in percent of the baseline figure.", DefaultValueFactory = _ => 10 };
        var absolute = new Option<double>("--slack") { Description = "Growth allowed on top, in counts per run (lets a figure that was 0 reach this).", DefaultValueFactory = _ => 0.5 };
        var otherMachine = new Option<bool>("--allow-other-machine") { Description = "Compare even when the host, architecture or driver differ." };
        var scope = new Option<string>("--scope")
        {
            Description = "What is compared: auto (the phases when the baseline has any, else the whole run), phases, whole or all.",
            DefaultValueFactory = _ => "auto",
        };
        scope.AcceptOnlyFromAmong("auto", "phases", "whole", "all");
        var summary = new Option<FileInfo?>("--summary") { Description = "Also append the diff as Markdown to FILE (e.g. $GITHUB_STEP_SUMMARY)." };
        var cmd = new Command("compare", "Run the command under tracing and compare it with a baseline. Exit 0: within tolerance; 1: a figure grew past it;\n" +
            "3: the run is inconclusive (it never passes); 2: refused (another machine or driver, a bad profile) or bad input.\n" +
            "Example: gpuosspec baseline compare base.json --mode full -- python3 train.py")
        {
            baseline, relative, absolute, scope, otherMachine, summary,
        };
        capture.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            BaselineProfile profile;
            try
            {
                profile = BaselineProfile.Load(parse.GetValue(baseline)!.FullName);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return Usage.Refuse($"gpuosspec baseline compare: {ex.Message}");
            }
            var tolerance = new BaselineTolerance(parse.GetValue(relative) / 100, parse.GetValue(absolute));
            if (tolerance.Relative < 0 || tolerance.Absolute < 0)
            {
                return Usage.Refuse("gpuosspec baseline compare: --tolerance and --slack cannot be negative.");
            }
            var (trace, failed) = capture.Run(parse, "baseline compare");
            if (trace is null)
            {
                return failed;
            }
            var result = BaselineComparison.Compare(profile, trace, tolerance, parse.GetValue(otherMachine),
                Enum.Parse<BaselineScope>(parse.GetValue(scope)!, ignoreCase: true));
            string markdown = result.ToMarkdown(profile, tolerance);
            Console.Out.Write(markdown);
            if (parse.GetValue(summary) is { } file)
            {
                File.AppendAllText(file.FullName, markdown + Environment.NewLine);
            }
            if (trace.IsInconclusive)
            {
                Console.Error.WriteLine($"gpuosspec baseline compare: the run is inconclusive: {trace.InconclusiveReason}.");
                return TraceCommand.InconclusiveExitCode;
            }
            return result.Refused is not null ? 2 : result.Passed ? 0 : 1;
        });
        return cmd;
    }
}
