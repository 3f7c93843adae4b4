namespace GpuOsSpec.Tracing.Model;

/// <summary>The words exports and summaries use for capture sources and modes (the model keeps enums).</summary>
public static class CaptureNames
{
    /// <summary>"perf", "strace", "proc" or "auto".</summary>
    public static string Of(CaptureSourceKind source) => source.ToString().ToLowerInvariant();

    /// <summary>"full", "hybrid", "strace" or "counters".</summary>
    public static string Of(CaptureMode mode) => mode.ToString().ToLowerInvariant();
}
