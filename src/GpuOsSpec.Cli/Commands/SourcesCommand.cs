using System.CommandLine;
using GpuOsSpec.Tracing.Capture;
using GpuOsSpec.Tracing.Capture.EventPipe;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec sources`: which capture sources this machine permits, and the fix for each that it does not.</summary>
internal static class SourcesCommand
{
    internal static Command Create()
    {
        var cmd = new Command("sources", "List the capture sources, whether each can run here, its overhead, and the fix when it cannot.");
        cmd.SetAction(_ =>
        {
            foreach (var source in SourceSelector.All.Append(new EventPipeSource()))
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
