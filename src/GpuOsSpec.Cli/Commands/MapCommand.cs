using System.CommandLine;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec map [--quick]` draws the runtime-to-OS interaction map; `gpuosspec map merge FILES...` joins
/// maps.</summary>
internal static class MapCommand
{
    internal static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Three small sizes per workload, each run twice (slopes with intervals): a first map in under a minute on a 2-core machine." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where map.md, map.json, map.html and plots/WORKLOAD.svg go (created when missing).", DefaultValueFactory = _ => new DirectoryInfo("gpuosspec-map") };
        var backends = new Option<string[]>("--backend") { Description = "Only these backends (default: every one present).", AllowMultipleArgumentsPerToken = true };
        var workloads = new Option<string[]>("--workload") { Description = "Only these workloads (default: the whole catalogue).", AllowMultipleArgumentsPerToken = true };
        var machine = new Option<string>("--machine") { Description = "This machine's name in the map (default: the host name).", DefaultValueFactory = _ => Environment.MachineName };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one run may take before it is ended as hung.", DefaultValueFactory = _ => 300 };
        var json = new JsonOutput("the map (schema gpuosspec.map/1, as map.json)");
        var source = SharedOptions.Source();
        var via = SharedOptions.Via();
        var cmd = new Command("map", "Run the workload catalogue over every backend present at several sizes, under tracing, and write the interaction map\n" +
            "(role x workload x backend, marginal costs with 95 % intervals, invariant, vendor-sensitive or unresolved) as Markdown, JSON\n" +
            "and HTML, with an OxyPlot figure per workload: every run a point, each backend's fitted line and band, on a log size axis.")
        {
            quick, output, backends, workloads, machine, timeout, source, via, json.Option,
        };
        cmd.SetAction(parse =>
        {
            var onlyBackends = parse.GetValue(backends) is { Length: > 0 } b ? b : null;
            var onlyWorkloads = parse.GetValue(workloads) is { Length: > 0 } w ? w : null;
            var unknown = (onlyWorkloads ?? []).Where(n => MapAxis.All.All(a => a.Workload != n)).ToList();
            if (unknown.Count > 0)
            {
                return Usage.Refuse($"gpuosspec map: unknown workload(s) {string.Join(", ", unknown)}. Valid: {string.Join(", ", MapAxis.All.Select(a => a.Workload))}.");
            }
            if (PresentTarget.Unknown(onlyBackends, "map") is { } unknownBackend)
            {
                return Usage.Refuse(unknownBackend);
            }
            var jsonTarget = json.Of(parse);
            if (OutputPaths.First(jsonTarget?.Problem("map"), OutputPaths.FolderProblem("map", "--out", parse.GetValue(output)!.FullName)) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            var progress = new ProgressLog();
            MapModel map;
            try
            {
                map = MapRunner.Run(parse.GetValue(quick), parse.GetValue(machine)!, onlyBackends, onlyWorkloads,
                    new CaptureOptions { Source = SharedOptions.ParseSource(parse.GetValue(source)) },
                    TimeSpan.FromSeconds(parse.GetValue(timeout)), SharedOptions.ParseVia(parse.GetValue(via)), progress.Line);
            }
            catch (TracerException ex)
            {
                return Usage.Refuse($"gpuosspec map: {ex.Message}");
            }
            Usage.Wrote(MapWriter.WriteAll(map, parse.GetValue(output)!.FullName));
            jsonTarget?.Write(System.Text.Json.JsonSerializer.Serialize(map, Reports.ReportJson.Options));
            Console.Error.WriteLine($"map finished in {progress.Seconds:F1} s: {map.Cells.Count(c => c.Status == "ok")} cells ok, {map.Cells.Count(c => c.Status != "ok")} not ({string.Join(", ", map.Cells.Where(c => c.Status != "ok").Select(c => $"{c.Workload} on {c.Backend}: {c.Status}"))})");
            return 0;
        });

        var files = new Argument<FileInfo[]>("files") { Description = "map.json files from several machines.", Arity = ArgumentArity.OneOrMore };
        var mergeOut = new Option<DirectoryInfo>("--out") { Description = "Where the merged map goes.", DefaultValueFactory = _ => new DirectoryInfo("gpuosspec-map-merged") };
        var merge = new Command("merge", "Join maps from several machines (a CI matrix of runners) into one cross-vendor map; runs stay apart, never averaged.") { files, mergeOut };
        merge.SetAction(parse =>
        {
            if (OutputPaths.FolderProblem("map merge", "--out", parse.GetValue(mergeOut)!.FullName) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            try
            {
                var merged = MapMerge.Merge((parse.GetValue(files) ?? []).Select(f => f.FullName).ToList());
                Usage.Wrote(MapWriter.WriteAll(merged, parse.GetValue(mergeOut)!.FullName));
                return 0;
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                return Usage.Refuse($"gpuosspec map merge: {ex.Message}");
            }
        });
        cmd.Subcommands.Add(merge);
        return cmd;
    }
}
