namespace GpuOsSpec.Workloads.Backends;

/// <summary>Memory allocated by a backend.</summary>
public interface IGpuBuffer : IDisposable
{
    /// <summary>Size in bytes.</summary>
    long Bytes { get; }

    /// <summary>Where it lives.</summary>
    MemoryKind Kind { get; }
}
