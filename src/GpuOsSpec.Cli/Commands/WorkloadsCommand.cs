using System.CommandLine;
using System.Text.Json;
using GpuOsSpec.Workloads.Catalogue;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec workloads [--json]`: the catalogue with each workload's parameters.</summary>
internal static class WorkloadsCommand
{
    internal static Command Create()
    {
        var json = new JsonOutput("the catalogue ([{name, description, parameters}])");
        var cmd = new Command("workloads", "List the workload catalogue and each workload's parameters (set them with run --set NAME=VALUE).") { json.Option };
        cmd.SetAction(parse =>
        {
            if (json.Of(parse) is { } target)
            {
                if (target.Problem("workloads") is { } problem)
                {
                    return Usage.Refuse(problem);
                }
                target.Write(JsonSerializer.Serialize(WorkloadCatalogue.All.Select(w => new
                {
                    name = w.Name,
                    description = w.Description,
                    parameters = w.Parameters.Select(p => new { name = p.Name, description = p.Description, kind = p.Kind, @default = p.Default, smoke = p.Smoke }),
                }), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                return 0;
            }
            foreach (var w in WorkloadCatalogue.All)
            {
                Console.WriteLine($"{w.Name}");
                Console.WriteLine($"    {w.Description}");
                foreach (var p in w.Parameters)
                {
                    Console.WriteLine($"    --set {p.Name}=<{p.Kind}>  {p.Description} (default {p.Default}, --smoke {p.Smoke})");
                }
            }
            return 0;
        });
        return cmd;
    }
}
