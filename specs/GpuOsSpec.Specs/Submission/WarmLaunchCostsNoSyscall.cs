namespace GpuOsSpec.Specs.Submission;

[Hypothesis("A steady-state kernel launch costs no syscall", Role = "submission", Axis = "launch count")]
public sealed class WarmLaunchCostsNoSyscall(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly IReadOnlyDictionary<string, Expected> s_perLaunch = Vendors.Same(
        Expected.AtMost(0.01, "a warm launch writes to a queue in user space"),
        // Refuted on PoCL: a launch that finds PoCL's worker idle wakes it with a futex, so the cost per launch depends
        // on how fast launches come and how the workers are scheduled: 0.12 to 1.6 syscalls per launch on PoCL 3.1, 2
        // cores. With 16 cores PoCL 5.0 made 44 syscalls per launch (H200 host): it wakes its workers, one per core.
        ("opencl-pocl", Expected.AtMost(4.0 * Environment.ProcessorCount, "PoCL wakes idle workers, one per core, with futex calls on each launch")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Syscalls_per_launch_are_below_one_in_a_hundred(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);

        var launches = LaunchScaling(context, label: backend);

        MarginalWithin(launches.Syscalls, For(context, s_perLaunch));
    }
}
