using System.CommandLine;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.EventPipe;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec sources`: which capture sources this machine permits, and the fix for each that it does not.</summary>
internal static class SourcesCommand
{
    internal static Command Create()
    {
        var json = new JsonOutput("the sources ({sources: [{name, available, missing, fix, overhead}], auto})");
        var cmd = new Command("sources", "List the capture sources, whether each can run here, its overhead, and the fix when it cannot.") { json.Option };
        cmd.SetAction(parse =>
        {
            if (json.Of(parse) is { } target)
            {
                if (target.Problem("sources") is { } problem)
                {
                    return Usage.Refuse(problem);
                }
                var all = SourceSelector.Every.Select(s => (Source: s, Check: s.Check())).ToList();
                var payload = new
                {
                    sources = all.Select(x => new { name = x.Source.Id, available = x.Check.Available, missing = x.Check.Missing, fix = x.Check.Fix, overhead = x.Source.Overhead }),
                    auto = SourceSelector.Choose(CaptureSourceKind.Auto, []).ToString().ToLowerInvariant(),
                };
                target.Write(System.Text.Json.JsonSerializer.Serialize(payload, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            foreach (var source in SourceSelector.Every)
            {
                var check = source.Check();
                Console.WriteLine($"{source.Id,-10} {(check.Available ? "available" : "unavailable"),-12} {source.Overhead}");
                if (!check.Available)
                {
                    Console.WriteLine($"{"",-10} missing: {check.Missing}");
                    Console.WriteLine($"{"",-10} fix:     {check.Fix}");
                }
            }
            var notes = new List<string>();
            Console.WriteLine($"auto picks: {SourceSelector.Choose(CaptureSourceKind.Auto, notes).ToString().ToLowerInvariant()}");
            return 0;
        });
        return cmd;
    }
}
