namespace GpuOsSpec.Workloads.Backends;

/// <summary>How to create a context.</summary>
/// <param name="SyncMode">How the host waits.</param>
/// <param name="DeviceIndex">Which of the backend's devices.</param>
public sealed record ContextOptions(SyncMode SyncMode = SyncMode.Auto, int DeviceIndex = 0);
