namespace GpuOsSpec.Tracing.Sources;

/// <summary>A source of OS events. Small by design: an id, its declared overhead, and a check of what it
/// needs.</summary>
public interface ICaptureSource
{
    /// <summary>"perf", "strace", "proc" or "eventpipe".</summary>
    string Id { get; }

    /// <summary>What running it costs the target, in words a user can weigh.</summary>
    string Overhead { get; }

    /// <summary>Checks, without side effects that outlive the call, whether the source can run here.</summary>
    CapabilityCheck Check();
}
