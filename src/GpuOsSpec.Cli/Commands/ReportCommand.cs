using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GpuOsSpec.Cli.Commands;

/// <summary>
/// `gpuosspec report FILES... [--machine TEXT] [--output FILE]`: turns `run --json` files into a Markdown table per
/// workload: each phase's time, operations, time per launch, syscalls by role, context switches and faults.
/// </summary>
internal static class ReportCommand
{

    internal static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "gpuosspec.run/1 JSON files (from gpuosspec run --json).", Arity = ArgumentArity.OneOrMore };
        var machine = new Option<string?>("--machine") { Description = "The machine, driver and date the runs come from, printed at the top." };
        var output = new Option<FileInfo?>("--output") { Description = "Write the Markdown here instead of stdout." };
        var json = new JsonOutput("the runs in one document (schema gpuosspec.report/1: {machine, runs: [gpuosspec.run/1 ...]})");
        var cmd = new Command("report", "Turn gpuosspec run --json files into Markdown tables: per workload, backend and phase.") { files, machine, output, json.Option };
        cmd.SetAction(parse =>
        {
            var jsonTarget = json.Of(parse);
            if (OutputPaths.First(jsonTarget?.Problem("report"),
                    parse.GetValue(output) is { } markdownFile ? OutputPaths.FileProblem("report", "--output", markdownFile.FullName) : null) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            var runs = new List<JsonElement>();
            foreach (var file in parse.GetValue(files) ?? [])
            {
                string text;
                try
                {
                    text = File.ReadAllText(file.FullName);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return Usage.Refuse($"gpuosspec report: cannot read {file.FullName}: {ex.Message}");
                }
                if (RunReport.Parse(text, file.FullName, out string? error) is not { } root)
                {
                    return Usage.Refuse($"gpuosspec report: {error}");
                }
                runs.Add(root);
            }
            string markdown = RunReport.Render(runs, parse.GetValue(machine));
            if (parse.GetValue(output) is { } o)
            {
                File.WriteAllText(o.FullName, markdown);
            }
            else
            {
                (jsonTarget?.HumanOutput ?? Console.Out).Write(markdown);
            }
            jsonTarget?.Write(stream => RunReport.WriteJson(runs, parse.GetValue(machine), stream));
            return 0;
        });
        return cmd;
    }
}
