namespace GpuOsSpec.Workloads.Backends;

/// <summary>A point in a stream's work that the host or other streams can wait for.</summary>
public interface IGpuEvent : IDisposable
{
    /// <summary>True when the work before it has finished (a query, never a wait).</summary>
    bool IsComplete { get; }

    /// <summary>Waits for it, the way the context's sync mode says.</summary>
    void Synchronize();
}
