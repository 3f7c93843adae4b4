namespace GpuOsSpec.Workloads.Backends;

/// <summary>Whether a backend can run here, and if not, why: library missing, no device, or driver too old.</summary>
/// <param name="Name">cuda, opencl, hip or cpu.</param>
/// <param name="Available">True when a context can be created.</param>
/// <param name="Reason">Why not, with the fix; null when available.</param>
/// <param name="Devices">The devices found.</param>
public sealed record BackendAvailability(string Name, bool Available, string? Reason, IReadOnlyList<DeviceInfo> Devices)
{
    /// <summary>An unavailable backend.</summary>
    public static BackendAvailability Missing(string name, string reason) => new(name, false, reason, []);
}
