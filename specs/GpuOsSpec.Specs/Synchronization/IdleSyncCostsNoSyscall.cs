namespace GpuOsSpec.Specs.Synchronization;

[Hypothesis("Synchronizing a stream that has no work costs no syscall", Role = "synchronization", Axis = "sync count")]
public sealed class IdleSyncCostsNoSyscall(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly IReadOnlyDictionary<string, Expected> s_perSync = Vendors.Same(
        Expected.AtMost(0.01, "an idle stream is already complete; the check is a read of shared memory"));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Idle_syncs_make_no_syscall(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Auto);
        var stream = context.DefaultStream;
        Launch(context, stream, 1);

        var syncs = Scale.Measure("sync", n =>
        {
            for (long i = 0; i < n; i++)
            {
                stream.Synchronize();
            }
        }, sizes: [100, 1_000, 4_000], repetitions: 3, label: backend);

        MarginalWithin(syncs.Syscalls, For(context, s_perSync));
    }
}
