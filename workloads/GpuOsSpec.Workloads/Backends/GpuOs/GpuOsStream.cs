using GpuOs;

namespace GpuOsSpec.Workloads.Backends.GpuOs;

/// <summary>
/// A stream whose host waits go through a gpuos completion (armed on the vendor's stream, waited on with the policy the
/// sync mode maps to) instead of the vendor's own synchronization; everything else is the vendor's.
/// </summary>
internal sealed class GpuOsStream(IGpuStream inner, SyncMode mode) : IGpuStream
{
    // No limit: a park then sleeps in the vendor's own blocking wait, which takes no deadline (a finite one would park
    // on the eventfd through gpuos's watcher thread, at about the first design's cost). A hang is the run's watchdog's
    // to end, and it names the phase.
    private static readonly TimeSpan WaitLimit = Timeout.InfiniteTimeSpan;
    private readonly ICompletionArming _arming = inner as ICompletionArming
        ?? throw new NotSupportedException($"The {inner.GetType().Name} stream cannot arm gpuos completions.");
    private Completion? _completion;
    private int? _fd;
    private bool _noted;

    internal IGpuStream Inner => inner;

    /// <summary>The policy the context's sync mode maps to: spin to spin, blocking to park, yield and auto to
    /// adaptive.</summary>
    internal WaitPolicy Policy { get; } = mode switch
    {
        SyncMode.Spin => WaitPolicy.Spin,
        SyncMode.Blocking => WaitPolicy.Park,
        _ => WaitPolicy.Adaptive,
    };

    /// <summary>The completion the waits go through, once the first wait created it.</summary>
    internal Completion? Completion => _completion;

    /// <summary>What the latest wait did.</summary>
    internal WaitInfo LastWait { get; private set; }

    public bool OutOfOrder => inner.OutOfOrder;

    public void Launch(IGpuKernel kernel, LaunchShape shape, params ReadOnlySpan<KernelArgument> arguments) => inner.Launch(kernel, shape, arguments);

    public void CopyToDevice(IGpuBuffer destination, ReadOnlySpan<byte> source) => inner.CopyToDevice(destination, source);

    public void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource) => inner.CopyToDevice(destination, pinnedSource);

    public void CopyToHost(Span<byte> destination, IGpuBuffer source) => inner.CopyToHost(destination, source);

    public void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source) => inner.CopyToHost(pinnedDestination, source);

    public void AccessHost(IGpuBuffer buffer, SpanAction access) => inner.AccessHost(buffer, access);

    public IGpuEvent Record() => inner.Record();

    public void Wait(IGpuEvent gpuEvent) => inner.Wait(gpuEvent);

    public void Synchronize()
    {
        try
        {
            // Created on first use, so a stream that never waits costs no eventfd.
            _completion ??= Completion.Create(_arming.Vendor);
            long armed = System.Diagnostics.Stopwatch.GetTimestamp();
            _arming.Arm(_completion);
            long armNs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(armed).TotalNanoseconds;
            NoteMechanism();
            LastWait = _completion.Wait(Policy, WaitLimit);
            GpuOsContexts.Waited(_completion.Mechanism, Policy, armNs, LastWait);
        }
        catch (GpuOsException ex)
        {
            throw new InvalidOperationException($"gpuos: {ex.Message}", ex);
        }
        _arming.AfterWait();
    }

    /// <summary>
    /// Arms the completion after the work queued so far and returns its eventfd, for a loop that waits on it with epoll
    /// beside other fds; once it is readable, drain it and call <see cref="FinishPolledWait"/>.
    /// </summary>
    internal int ArmForPoll()
    {
        try
        {
            _completion ??= Completion.Create(_arming.Vendor);
            // Handing the fd out is done once: each call writes the fd when earlier arms were done.
            _fd ??= _completion.Fd;
            _arming.Arm(_completion);
            NoteMechanism();
            return _fd.Value;
        }
        catch (GpuOsException ex)
        {
            throw new InvalidOperationException($"gpuos: {ex.Message}", ex);
        }
    }

    /// <summary>True when the polled arm's work is done; then reports a failure the work met, as a wait does.</summary>
    internal bool FinishPolledWait()
    {
        if (_completion is not { IsComplete: true })
        {
            return false;
        }
        _arming.AfterWait();
        return true;
    }

    // Once per completion, after its first arm (an OpenCL completion reads its platform there).
    private void NoteMechanism()
    {
        if (!_noted && _completion is not null)
        {
            _noted = true;
            GpuOsContexts.Seen(_completion.Mechanism);
        }
    }

    internal bool Disposed { get; private set; }

    /// <summary>Frees the completion only (the default stream itself belongs to its context).</summary>
    internal void ReleaseCompletion()
    {
        _completion?.Dispose();
        _completion = null;
        _fd = null;
        _noted = false;
    }

    public void Dispose()
    {
        Disposed = true;
        inner.Dispose();
        ReleaseCompletion();
    }
}
