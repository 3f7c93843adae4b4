namespace GpuOsSpec.Workloads.Backends;

/// <summary>A device a backend found.</summary>
/// <param name="Index">Its index within the backend.</param>
/// <param name="Name">Its name, as the runtime reports it.</param>
/// <param name="MemoryBytes">Its memory in bytes.</param>
/// <param name="Driver">The runtime or platform and its version.</param>
public sealed record DeviceInfo(int Index, string Name, long MemoryBytes, string Driver);
