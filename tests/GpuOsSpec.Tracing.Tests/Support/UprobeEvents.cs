using GpuOsSpec.Tracing.Platform.Tracepoints;

namespace GpuOsSpec.Tracing.Tests.Support;

/// <summary>What tracefs holds of the uprobes gpuosspec processes define (groups gpuosspec_PID_N_PURPOSE).</summary>
public static class UprobeEvents
{
    /// <summary>The uprobe_events lines of the groups process <paramref name="pid"/> defined.</summary>
    public static List<string> Of(int pid) =>
        Tracefs.Root is { } root && File.Exists(Path.Combine(root, "uprobe_events"))
            ? File.ReadLines(Path.Combine(root, "uprobe_events")).Where(l => l.Contains($":gpuosspec_{pid}_", StringComparison.Ordinal)).ToList()
            : [];
}
