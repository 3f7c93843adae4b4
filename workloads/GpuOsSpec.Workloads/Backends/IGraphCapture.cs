namespace GpuOsSpec.Workloads.Backends;

/// <summary>An optional ability: record work on a stream once and replay it as one graph launch (CUDA
/// graphs).</summary>
public interface IGraphCapture
{
    /// <summary>Captures what <paramref name="record"/> submits to <paramref name="stream"/> into a launchable
    /// graph.</summary>
    IGpuGraph Capture(IGpuStream stream, Action<IGpuStream> record);
}

/// <summary>An instantiated graph.</summary>
public interface IGpuGraph : IDisposable
{
    /// <summary>Submits the whole graph to a stream.</summary>
    void Launch(IGpuStream stream);
}
