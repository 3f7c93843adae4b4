using System.CommandLine;
using System.Text.Json;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec workloads [--json]`: the catalogue with each workload's parameters.</summary>
internal static class WorkloadsCommand
{
    internal static Command Create() => ListingCommand.Create(
        "workloads", "List the workload catalogue and each workload's parameters (set them with run --set NAME=VALUE).", "the catalogue ([{name, description, parameters}])",
        json: () => JsonSerializer.Serialize(WorkloadCatalogue.All.Select(w => new
        {
            name = w.Name,
            description = w.Description,
            parameters = w.Parameters.Select(p => new { name = p.Name, description = p.Description, kind = p.Kind, @default = p.Default, smoke = p.Smoke }),
        }), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
        text: () =>
        {
            foreach (var w in WorkloadCatalogue.All)
            {
                Console.WriteLine($"{w.Name}");
                Console.WriteLine($"    {w.Description}");
                foreach (var p in w.Parameters)
                {
                    Console.WriteLine($"    --set {p.Name}=<{p.Kind}>  {p.Description} (default {p.Default}, --smoke {p.Smoke})");
                }
            }
        });
}
