namespace GpuOsSpec.Specs.Synchronization;

/// <summary>Looks at the waiting thread: a runtime's own threads may poll the device while the kernel runs.</summary>
[Hypothesis("A blocking wait costs the same syscalls however long the kernel runs", Role = "synchronization", Axis = "kernel length")]
public sealed class BlockingWaitCostIsFlat(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly IReadOnlyDictionary<string, Expected> s_perMicrosecond = Vendors.Same(
        Expected.AtMost(0.002, "the thread sleeps once and is woken once, whatever the wait"));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Syscalls_do_not_grow_with_kernel_length(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Blocking);
        var stream = context.DefaultStream;
        long[] microseconds = [200, 800, 3_200];
        var args = microseconds.ToDictionary(us => us, us => context.BusyWaitArgument(TimeSpan.FromMicroseconds(us)));
        stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, args[200]);
        stream.Synchronize();

        var waits = Scale.Measure("microsecond of kernel", us =>
        {
            stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, args[us]);
            stream.Synchronize();
        }, sizes: microseconds, repetitions: 3, label: backend, origins: ThreadOrigin.Workload);

        MarginalWithin(waits.Syscalls, For(context, s_perMicrosecond));
    }
}
