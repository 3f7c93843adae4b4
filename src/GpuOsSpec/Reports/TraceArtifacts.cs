namespace GpuOsSpec.Reports;

/// <summary>The files a traced spec left: the trace as JSON (gpuosspec.trace/2) and as Chrome trace-event JSON for
/// Perfetto.</summary>
/// <param name="TraceJson">SPEC.trace.json.</param>
/// <param name="Perfetto">SPEC.perfetto.json.</param>
public sealed record TraceArtifacts(string TraceJson, string Perfetto);
