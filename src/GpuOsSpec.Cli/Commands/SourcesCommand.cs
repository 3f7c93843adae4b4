using System.CommandLine;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec sources`: which capture sources this machine permits, and the fix for each that it does
/// not.</summary>
internal static class SourcesCommand
{
    internal static Command Create() => ListingCommand.Create(
        "sources", "List the capture sources, whether each can run here, its overhead, and the fix when it cannot.", "the sources ({sources: [{name, available, missing, fix, overhead}], hybrid: {available, missing, fix}, fullJoinedInKernel: {available, missing, fix}, auto})",
        json: () =>
        {
            var all = SourceSelector.Every.Select(s => (Source: s, Check: s.Check())).ToList();
            var hybrid = new PerfEventSource().CheckHybrid();
            var joined = new PerfEventSource().CheckKernelJoinedFull();
            var payload = new
            {
                sources = all.Select(x => new { name = x.Source.Id, available = x.Check.Available, missing = x.Check.Missing, fix = x.Check.Fix, overhead = x.Source.Overhead }),
                hybrid = new { available = hybrid.Available, missing = hybrid.Missing, fix = hybrid.Fix },
                fullJoinedInKernel = new { available = joined.Available, missing = joined.Missing, fix = joined.Fix },
                auto = SourceSelector.Choose(CaptureSourceKind.Auto, []).ToString().ToLowerInvariant(),
            };
            return System.Text.Json.JsonSerializer.Serialize(payload, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        },
        text: () =>
        {
            foreach (var source in SourceSelector.Every)
            {
                var check = source.Check();
                Console.WriteLine($"{source.Id,-10} {(check.Available ? "available" : "unavailable"),-12} {source.Overhead}");
                if (!check.Available)
                {
                    Console.WriteLine($"{"",-10} missing: {check.Missing}");
                    Console.WriteLine($"{"",-10} fix:     {check.Fix}");
                }
                if (source is PerfEventSource perf)
                {
                    // Hybrid mode, the default for a command, needs eBPF on top of perf; full mode needs perf alone.
                    var hybrid = perf.CheckHybrid();
                    Console.WriteLine($"{"",-10} hybrid mode: {(hybrid.Available ? "available" : "unavailable (--mode full still works)")}");
                    if (!hybrid.Available)
                    {
                        Console.WriteLine($"{"",-10} missing: {hybrid.Missing}");
                        Console.WriteLine($"{"",-10} fix:     {hybrid.Fix}");
                    }
                    // Full mode joins each syscall in the kernel where eBPF loads, else pairs perf samples (slower).
                    var joined = perf.CheckKernelJoinedFull();
                    Console.WriteLine($"{"",-10} full mode: {(joined.Available ? "each syscall joined in the kernel (eBPF)" : "perf samples paired in user space (slower)")}");
                    if (!joined.Available)
                    {
                        Console.WriteLine($"{"",-10} missing: {joined.Missing}");
                        Console.WriteLine($"{"",-10} fix:     {joined.Fix}");
                    }
                }
            }
            var notes = new List<string>();
            Console.WriteLine($"auto picks: {SourceSelector.Choose(CaptureSourceKind.Auto, notes).ToString().ToLowerInvariant()}");
        });
}
