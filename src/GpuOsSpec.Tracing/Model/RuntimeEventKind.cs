namespace GpuOsSpec.Tracing.Model;

/// <summary>Kinds of .NET runtime events the plugin asserts on.</summary>
public enum RuntimeEventKind
{
    /// <summary>A garbage collection started.</summary>
    GarbageCollection,
    /// <summary>A method was compiled by the JIT.</summary>
    Jit,
    /// <summary>Thread-pool activity (worker thread injection, adjustments).</summary>
    ThreadPool,
    /// <summary>Lock contention.</summary>
    Contention,
    /// <summary>An exception was thrown.</summary>
    Exception,
    /// <summary>Another runtime event.</summary>
    Other,
}
