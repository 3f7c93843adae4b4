namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>The kernel refused the eBPF half of hybrid mode (maps, programs or their attachment); full mode still
/// works.</summary>
public sealed class BpfUnavailableException(string message) : TracerException(message);
