using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Fixtures;

/// <summary>
/// GPU contexts created once per test class or collection (use it as IClassFixture or ICollectionFixture), so context
/// creation and the first-use costs stay out of the specs' measurements. Each context has built its kernels, passed a
/// vector-add check against the CPU and run one launch before a spec sees it.
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

    /// <summary>The warm context for <paramref name="backend"/> with <paramref name="mode"/> on <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">For an unknown backend name; the message lists the valid ones.</exception>
    /// <exception cref="InvalidOperationException">When the backend is unavailable, with the reason.</exception>
    public IGpuContext Context(string backend, SyncMode mode, int device)
    {
        lock (_gate)
        {
            if (_contexts.TryGetValue((backend, mode, device), out var existing))
            {
                return existing;
            }
            var context = RuntimeThreads.Observe(() => BackendRegistry.Get(backend).CreateContext(new ContextOptions(mode, device)));
            try
            {
                RuntimeThreads.Observe(() =>
                {
                    Warm(context);
                    return 0;
                });
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
    }

    /// <summary>Disposes every context.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var c in _contexts.Values)
            {
                c.Dispose();
            }
            _contexts.Clear();
        }
    }
}
