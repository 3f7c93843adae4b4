namespace GpuOsSpec.Fixtures;

/// <summary>
/// GPU contexts created once per test class or collection (use it as IClassFixture or ICollectionFixture), so context
/// creation and the first-use costs stay out of the specs' measurements. Each context has built its kernels, passed a
/// vector-add check against the CPU, and run every path a spec's phase takes (each kernel, a burst, events, pageable,
/// pinned and mapped copies, a second stream) before a spec sees it, so no phase pays for JIT compilation.
/// </summary>
public sealed class GpuContextFixture : IDisposable
{
    private readonly Dictionary<(string Backend, SyncMode Mode, int Device), IGpuContext> _contexts = [];
    private readonly object _gate = new();

    /// <summary>The warm context for a target ("cuda", "opencl:1") with <paramref name="mode"/>.</summary>
    public IGpuContext Context(string target, SyncMode mode = SyncMode.Auto)
    {
        var t = BackendTarget.Parse(target);
        return Context(t.Backend, mode, t.Device);
    }

    /// <summary>The warm context for <paramref name="backend"/> with <paramref name="mode"/> on
    /// <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">For an unknown backend name; the
    /// message lists the valid ones.</exception>
    /// <exception cref="InvalidOperationException">When the backend is
    /// unavailable, with the reason.</exception>
    public IGpuContext Context(string backend, SyncMode mode, int device)
    {
        // The test class asking owns these contexts' threads in its traces; other classes' traces leave them out.
        if (Cases.CurrentTest.Value is { } test)
        {
            RuntimeThreads.UsedBy(this, test.Class);
        }
        lock (_gate)
        {
            if (_contexts.TryGetValue((backend, mode, device), out var existing))
            {
                return existing;
            }
        }
        // Making a context waits for any running trace (another class's would see its threads start unlabelled), and
        // the trace gate comes before this fixture's lock: a trace that asks a shared fixture for a context inside its
        // capture passes the gate and must not then wait for a flow that waits for the gate.
        using (TraceGate.EnterUnlessHeld())
        {
            lock (_gate)
            {
                if (_contexts.TryGetValue((backend, mode, device), out var existing))
                {
                    return existing;
                }
                var context = RuntimeThreads.Create(this, () => BackendRegistry.Get(backend).CreateContext(new ContextOptions(mode, device)));
                try
                {
                    RuntimeThreads.Use(this, context, () => Warm(context));
                }
                catch
                {
                    context.Dispose();
                    throw;
                }
                _contexts[(backend, mode, device)] = context;
                return context;
            }
        }
    }

    // Every path a spec's phase takes runs here once, so the JIT compiles it before any phase: with W^X each compiled
    // method is an mmap of a memfd and mprotect calls, which would land in the phase that first called it. The paths:
    // each standard kernel (BusyWait too), a backlog deep enough to grow the stream's queue, events recorded, waited on
    // and synchronized, pageable, pinned and mapped copies, and a second stream created, used and disposed.
    private static void Warm(IGpuContext context)
    {
        const int n = 1024;
        var a = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
        using var da = context.Allocate(n * 4, MemoryKind.Device);
        using var dc = context.Allocate(n * 4, MemoryKind.Device);
        var s = context.DefaultStream;
        s.CopyToDevice(da, System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        s.Launch(context.Kernels.VectorAdd, LaunchShape.Cover(n), KernelArgument.Of(da), KernelArgument.Of(da), KernelArgument.Of(dc), KernelArgument.Of((uint)n));
        s.Launch(context.Kernels.Empty, LaunchShape.Single);
        s.Synchronize();
        var c = new float[n];
        s.CopyToHost(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.AsSpan()), dc);
        for (int i = 0; i < n; i++)
        {
            if (c[i] != 2f * i)
            {
                throw new InvalidOperationException($"{context.Backend}: the vector add check failed at {i} ({c[i]} instead of {2f * i}); the backend's kernels are broken.");
            }
        }

        s.Launch(context.Kernels.BusyWait, LaunchShape.Single, context.BusyWaitArgument(TimeSpan.FromMicroseconds(10)));
        s.Launch(context.Kernels.Touch, LaunchShape.Cover(n), KernelArgument.Of(dc), KernelArgument.Of((uint)n));
        // A backlog of launches behind a 5 ms kernel, deeper than a stream holds (the CPU backend's 4,096): a queue
        // grows its storage to full depth (and compiles its growth and segment-crossing paths) here and keeps it, so a
        // phase's bursts allocate nothing.
        s.Launch(context.Kernels.BusyWait, LaunchShape.Single, context.BusyWaitArgument(TimeSpan.FromMilliseconds(5)));
        for (int i = 0; i < 8192; i++)
        {
            s.Launch(context.Kernels.Empty, LaunchShape.Single);
        }
        using (var recorded = s.Record())
        {
            s.Wait(recorded);
            recorded.Synchronize();
            _ = recorded.IsComplete;
        }
        s.Synchronize();

        using (var pinned = context.Allocate(n * 4, MemoryKind.PinnedHost))
        {
            s.CopyToDevice(da, pinned);
            s.CopyToHost(pinned, da);
            s.Synchronize();
        }
        WarmMapped(context, s, n);

        using var other = context.CreateStream();
        other.Launch(context.Kernels.Empty, LaunchShape.Single);
        using (var e = other.Record())
        {
            s.Wait(e);
        }
        other.Synchronize();
        s.Synchronize();
    }

    // Mapped memory is optional: a backend without it says so, and a spec on it skips; the warm-up does not fail.
    private static void WarmMapped(IGpuContext context, IGpuStream s, int n)
    {
        IGpuBuffer mapped;
        try
        {
            mapped = context.Allocate(n * 4, MemoryKind.Mapped);
        }
        catch (Exception ex) when (ex is GpuBackendException or NotSupportedException)
        {
            return;
        }
        using (mapped)
        {
            s.Launch(context.Kernels.Touch, LaunchShape.Cover(n), KernelArgument.Of(mapped), KernelArgument.Of((uint)n));
            s.Synchronize();
            s.AccessHost(mapped, static span => span[0] = span[0]);
        }
    }

    /// <summary>Disposes every context.</summary>
    public void Dispose()
    {
        // Between traces: a trace that saw these threads end would no longer know them as another class's.
        using (TraceGate.EnterUnlessHeld())
        {
            lock (_gate)
            {
                foreach (var c in _contexts.Values)
                {
                    c.Dispose();
                }
                _contexts.Clear();
                RuntimeThreads.Release(this);
            }
        }
    }
}
