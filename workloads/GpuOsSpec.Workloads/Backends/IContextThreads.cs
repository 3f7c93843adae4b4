namespace GpuOsSpec.Workloads.Backends;

/// <summary>
/// An optional ability of a context whose backend starts its threads itself: it names them, so a tracer need not infer
/// them from the threads that appeared while a call ran (which also catches every thread the process started meanwhile,
/// for any other reason).
/// </summary>
public interface IContextThreads
{
    /// <summary>
    /// The kernel thread ids (gettid) of every thread the context has started, those of its disposed streams too: their
    /// last syscalls, as they exit, are still theirs.
    /// </summary>
    IReadOnlyCollection<int> ThreadIds { get; }
}
