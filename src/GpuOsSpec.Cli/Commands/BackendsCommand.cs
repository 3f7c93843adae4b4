using System.CommandLine;
using System.Text.Json;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec backends [--json]`: which GPU backends can run here, and why not.</summary>
internal static class BackendsCommand
{
    internal static Command Create() => ListingCommand.Create(
        "backends", "List the GPU backends (cuda, opencl, hip, cpu): available or not, why not, and their devices.", "the list ([{name, available, reason, devices}])",
        json: () => JsonSerializer.Serialize(Discover().Select(f => new
        {
            name = f.Name,
            available = f.Available,
            reason = f.Reason,
            devices = f.Devices.Select(d => new { index = d.Index, name = d.Name, memoryBytes = d.MemoryBytes, driver = d.Driver }),
        }), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
        text: () =>
        {
            foreach (var f in Discover())
            {
                Console.WriteLine($"{f.Name,-8} {(f.Available ? "available" : "unavailable: " + f.Reason)}");
                foreach (var d in f.Devices)
                {
                    Console.WriteLine($"         [{d.Index}] {d.Name}, {d.MemoryBytes / (1 << 20):N0} MiB, {d.Driver}");
                }
            }
        });

    private static List<BackendAvailability> Discover() => BackendRegistry.All.Select(b => b.Discover()).ToList();
}
