namespace GpuOsSpec.Tracing.Sources;

/// <summary>Whether a capture source can run here, and if not, what is missing and the exact fix.</summary>
/// <param name="SourceId">The source ("perf", "strace", "proc", "eventpipe").</param>
/// <param name="Available">True when the source can run.</param>
/// <param name="Missing">What is missing, or null.</param>
/// <param name="Fix">The command or setting that fixes it, or null.</param>
public sealed record CapabilityCheck(string SourceId, bool Available, string? Missing, string? Fix)
{
    /// <summary>A source that can run.</summary>
    public static CapabilityCheck Ok(string sourceId) => new(sourceId, true, null, null);

    /// <summary>A source that cannot run.</summary>
    public static CapabilityCheck Unavailable(string sourceId, string missing, string fix) => new(sourceId, false, missing, fix);

    /// <inheritdoc/>
    public override string ToString() => Available ? $"{SourceId}: available" : $"{SourceId}: unavailable: {Missing}. Fix: {Fix}";
}
