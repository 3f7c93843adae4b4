using System.Collections.Concurrent;
using GpuOs;

namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>
/// A worker thread and its queue. The worker spins briefly before parking, as GPU runtimes' completion threads do, so
/// back-to-back submissions find it awake; the host waits the way the sync mode says.
/// </summary>
internal sealed class CpuStream : IGpuStream, ICompletionArming
{
    private static int s_count;
    // Work items are structs holding the kernel and its arguments, so a launch allocates nothing on the managed heap (a
    // closure per launch made the garbage collector, and its memory syscalls, show up in launch storms).
    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _done = new();
    private readonly SyncMode _mode;
    private readonly Thread _worker;
    private long _submitted;
    private long _completed;
    private int _parked;
    private int _waiters;
    private volatile bool _stop;
    private Exception? _failure;
    private int _threadId;

    internal CpuStream(SyncMode mode)
    {
        _mode = mode;
        GrowQueue();
        _worker = new Thread(Run) { IsBackground = true, Name = $"cpubackend-{Interlocked.Increment(ref s_count)}" };
        _worker.Start();
    }

    public CompletionVendor Vendor => CompletionVendor.Manual;

    // The worker signals the completion after the work queued before it, as a vendor's host callback would.
    public void Arm(Completion completion)
    {
        completion.Arm(0);
        Submit(new WorkItem(null, default, 0, 0, completion.Signal));
    }

    // A kernel that threw is reported by the wait that follows it, as the native Synchronize does.
    public void AfterWait()
    {
        if (_failure is { } failure)
        {
            _failure = null;
            throw new GpuBackendException("cpu kernel", failure.GetType().Name, 0, failure.Message);
        }
    }

    public bool OutOfOrder => false;

    /// <summary>
    /// The worker's kernel thread id. The worker writes it before anything else it does; asked sooner, this waits for
    /// it, so creating a stream waits for nothing more than the thread's start.
    /// </summary>
    internal int ThreadId
    {
        get
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref _threadId) != 0);
            return _threadId;
        }
    }

    internal long Completed => Volatile.Read(ref _completed);

    public void Launch(IGpuKernel kernel, LaunchShape shape, params ReadOnlySpan<KernelArgument> arguments)
    {
        var k = kernel as CpuKernel ?? throw new ArgumentException("Not a cpu kernel.", nameof(kernel));
        if (arguments.Length > Arguments.Capacity)
        {
            throw new ArgumentException($"A cpu kernel takes at most {Arguments.Capacity} arguments, not {arguments.Length}.", nameof(arguments));
        }
        var inline = new Arguments();
        arguments.CopyTo(inline);
        Submit(new WorkItem(k, inline, arguments.Length, shape.Threads, null));
    }

    public void CopyToDevice(IGpuBuffer destination, ReadOnlySpan<byte> source)
    {
        Synchronize();
        source.CopyTo(((CpuBuffer)destination).Span);
    }

    public void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource) =>
        Submit(new WorkItem(null, default, 0, 0, () => Copy((CpuBuffer)pinnedSource, (CpuBuffer)destination)));

    public void CopyToHost(Span<byte> destination, IGpuBuffer source)
    {
        Synchronize();
        ((CpuBuffer)source).Span[..destination.Length].CopyTo(destination);
    }

    public void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source) =>
        Submit(new WorkItem(null, default, 0, 0, () => Copy((CpuBuffer)source, (CpuBuffer)pinnedDestination)));

    public void AccessHost(IGpuBuffer buffer, SpanAction access) => access(((CpuBuffer)buffer).Span);

    public IGpuEvent Record() => new CpuEvent(this, Volatile.Read(ref _submitted));

    public void Wait(IGpuEvent gpuEvent)
    {
        var e = (CpuEvent)gpuEvent;
        Submit(new WorkItem(null, default, 0, 0, () =>
        {
            var spin = new SpinWait();
            while (!e.IsComplete)
            {
                spin.SpinOnce();
            }
        }));
    }

    public void Synchronize() => WaitFor(Volatile.Read(ref _submitted));

    internal void WaitFor(long target)
    {
        switch (_mode)
        {
            case SyncMode.Spin:
                while (Completed < target)
                {
                    Thread.SpinWait(16);
                }
                break;
            case SyncMode.Yield:
                while (Completed < target)
                {
                    Thread.Yield();
                }
                break;
            case SyncMode.Blocking:
                lock (_done)
                {
                    // A full fence between announcing the waiter and reading the count, as the worker has between
                    // counting and reading the waiters (Dekker's pattern): a plain increment could sit in the store
                    // buffer while the count is read, the worker then saw no waiter and pulsed no one, and this
                    // thread slept forever (a hung test run).
                    Interlocked.Increment(ref _waiters);
                    while (Completed < target)
                    {
                        Monitor.Wait(_done);
                    }
                    Interlocked.Decrement(ref _waiters);
                }
                break;
            default:
                var spin = new SpinWait();
                while (Completed < target)
                {
                    spin.SpinOnce();
                }
                break;
        }
        AfterWait();
    }

    /// <summary>
    /// The most work a stream holds that has not run, as a GPU's submission queue is bounded: past it the submitter
    /// spins, with no syscall, until the worker catches up. The queue's storage holds this depth from the stream's
    /// start (<see cref="GrowQueue"/>), so a burst of any length allocates nothing.
    /// </summary>
    internal const int Depth = 4096;

    // ConcurrentQueue starts with 32 slots and, each time a backlog outgrows its newest segment, allocates one twice
    // as large on the submitting thread; a segment is a ring, reused for good once it holds the deepest backlog. Grown
    // here, that allocation is the stream's creation's (a context's setup) instead of the first deep burst's: there it
    // could start a garbage collection on the submitting thread in the middle of a steady phase, and every collection
    // opens /proc/meminfo. Depth + 1 items leave a last segment of at least Depth slots.
    private void GrowQueue()
    {
        for (int i = 0; i <= Depth; i++)
        {
            _queue.Enqueue(default);
        }
        while (_queue.TryDequeue(out _))
        {
        }
    }

    private void Submit(WorkItem work)
    {
        while (Volatile.Read(ref _submitted) - Completed >= Depth && !_stop)
        {
            Thread.SpinWait(32);
        }
        _queue.Enqueue(work);
        Interlocked.Increment(ref _submitted);
        if (Volatile.Read(ref _parked) == 1 && Interlocked.Exchange(ref _parked, 0) == 1)
        {
            _wake.Release();
        }
    }

    private void Run()
    {
        Volatile.Write(ref _threadId, Interop.Libc.Gettid());
        while (!_stop)
        {
            if (_queue.TryDequeue(out var work))
            {
                try
                {
                    work.Run();
                }
                catch (Exception ex)
                {
                    _failure = ex;
                }
                Interlocked.Increment(ref _completed);
                if (Volatile.Read(ref _waiters) > 0)
                {
                    lock (_done)
                    {
                        Monitor.PulseAll(_done);
                    }
                }
                continue;
            }
            for (int i = 0; i < 200 && _queue.IsEmpty && !_stop; i++)
            {
                Thread.SpinWait(64);
            }
            if (!_queue.IsEmpty || _stop)
            {
                continue;
            }
            // A full fence between saying "parked" and looking at the queue, as Submit has between queueing and
            // reading _parked: with a plain write, the queue could be read empty while the write waited in the store
            // buffer, the submitter then saw no parked worker and released no one, and the worker slept on queued work.
            Interlocked.Exchange(ref _parked, 1);
            if (!_queue.IsEmpty)
            {
                if (Interlocked.Exchange(ref _parked, 0) == 1)
                {
                    continue;
                }
            }
            _wake.Wait();
        }
    }

    /// <summary>A launch's arguments, held inside the work item instead of in an array allocated per launch.</summary>
    [System.Runtime.CompilerServices.InlineArray(Capacity)]
    private struct Arguments
    {
        // The standard kernels take at most 4 (vadd); every queue slot holds this many, so it is no larger.
        internal const int Capacity = 4;
        private KernelArgument _first;
    }

    private readonly struct WorkItem(CpuKernel? kernel, Arguments arguments, int count, long threads, Action? other)
    {
        private readonly Arguments _arguments = arguments;

        internal void Run()
        {
            if (kernel is not null)
            {
                kernel.Body(((ReadOnlySpan<KernelArgument>)_arguments)[..count], threads);
            }
            else
            {
                other?.Invoke();
            }
        }
    }

    private static void Copy(CpuBuffer from, CpuBuffer to) => from.Span[..(int)Math.Min(from.Bytes, to.Bytes)].CopyTo(to.Span);

    private int _disposed;

    // Idempotent: a spec may dispose a stream its fixture disposes again (the second call found the semaphore
    // disposed).
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stop = true;
        _wake.Release();
        _worker.Join();
        _wake.Dispose();
    }
}
