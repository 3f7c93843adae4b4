using System.CommandLine;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec evaluate`: Phase 4's comparison of gpuos against native execution over the backends
/// present.</summary>
internal static class EvaluateCommand
{
    internal static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Short kernels (200 us) and 10 waits per run: a first evaluation in under 2 minutes on a 2-core machine." };
        var repeats = new Option<int>("--repeats") { Description = "Runs per configuration (at least 5).", DefaultValueFactory = _ => 5 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where evaluation.md, .json and .html go.", DefaultValueFactory = _ => new DirectoryInfo("gpuosspec-evaluation") };
        var backends = new Option<string[]>("--backend") { Description = "Only these backends (default: every one present).", AllowMultipleArgumentsPerToken = true };
        var json = new JsonOutput("the evaluation (schema gpuosspec.evaluation/1, as evaluation.json)");
        var cmd = new Command("evaluate", "Compare execution through gpuos with native execution on every backend present: syscalls, voluntary switches,\n" +
            "waiter CPU and wait overshoot per wait under each policy, and syscalls per launch; medians over runs with intervals, and a verdict\n" +
            "only where the intervals allow it. Writes Markdown, JSON and HTML with plots.")
        {
            quick, repeats, output, backends, json.Option,
        };
        cmd.SetAction(parse =>
        {
            int n = parse.GetValue(repeats);
            if (n < 5)
            {
                return Usage.Refuse($"gpuosspec evaluate: --repeats must be at least 5 (a median's interval needs them), not {n}.");
            }
            var only = parse.GetValue(backends) is { Length: > 0 } b ? b : null;
            if (PresentTarget.Unknown(only, "evaluate") is { } unknownBackend)
            {
                return Usage.Refuse(unknownBackend);
            }
            var jsonTarget = json.Of(parse);
            if (OutputPaths.First(jsonTarget?.Problem("evaluate"), OutputPaths.FolderProblem("evaluate", "--out", parse.GetValue(output)!.FullName)) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            var progress = new ProgressLog();
            EvaluationModel model;
            try
            {
                model = Evaluator.Run(parse.GetValue(quick), n, only, progress.Line);
            }
            catch (TracerException ex)
            {
                return Usage.Refuse($"gpuosspec evaluate: {ex.Message}");
            }
            Usage.Wrote(EvaluationWriter.WriteAll(model, parse.GetValue(output)!.FullName));
            jsonTarget?.Write(EvaluationWriter.Json(model));
            Console.Error.WriteLine($"evaluate finished in {progress.Seconds:F1} s: {model.Cases.Count(c => c.Verdict == "better")} better, {model.Cases.Count(c => c.Verdict == "worse")} worse, {model.Cases.Count(c => c.Verdict.StartsWith("same", StringComparison.Ordinal))} same, {model.Cases.Count(c => c.Verdict == "not measured")} not measured");
            return 0;
        });
        cmd.Subcommands.Add(Render());
        return cmd;
    }

    // Draws an evaluation's Markdown, JSON and HTML again from its evaluation.json, without running anything: for an
    // evaluation made on another machine, or with an older gpuosspec.
    private static Command Render()
    {
        var file = new Argument<FileInfo>("file") { Description = "An evaluation.json from gpuosspec evaluate." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where evaluation.md, .json and .html go.", DefaultValueFactory = _ => new DirectoryInfo("gpuosspec-evaluation") };
        var render = new Command("render", "Write an evaluation's Markdown, JSON and HTML again from its evaluation.json (nothing is run).") { file, output };
        render.SetAction(parse =>
        {
            if (OutputPaths.FolderProblem("evaluate render", "--out", parse.GetValue(output)!.FullName) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            EvaluationModel model;
            try
            {
                model = EvaluationWriter.Read(parse.GetValue(file)!.FullName);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return Usage.Refuse($"gpuosspec evaluate render: {ex.Message}");
            }
            Usage.Wrote(EvaluationWriter.WriteAll(model, parse.GetValue(output)!.FullName));
            return 0;
        });
        return render;
    }
}
