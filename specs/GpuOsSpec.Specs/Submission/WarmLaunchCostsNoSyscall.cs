using GpuOsSpec.Fixtures;
using GpuOsSpec.Specs.Support;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Xunit;

namespace GpuOsSpec.Specs.Submission;

[Hypothesis("A steady-state kernel launch costs no syscall", Role = "submission", Axis = "launch count")]
public sealed class WarmLaunchCostsNoSyscall(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly IReadOnlyDictionary<string, Expected> s_perLaunch = Vendors.Same(
        Expected.AtMost(0.01, "a warm launch writes to a queue in user space"),
        // Refuted on PoCL: a launch that finds PoCL's worker idle wakes it with a futex, so the cost per launch depends
        // on how fast launches come and how the workers are scheduled: 0.12 to 1.6 syscalls per launch on PoCL 3.1, 2 cores.
        ("opencl-pocl", Expected.AtMost(3, "PoCL wakes idle workers with futex calls: up to a few per launch")));

    [GpuTheory(Sources = new[] { "perf" })]
    [Backends]
    public void Syscalls_per_launch_are_below_one_in_a_hundred(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);

        var launches = LaunchScaling(context, label: backend);

        MarginalWithin(launches.Syscalls, For(context, s_perLaunch));
    }
}
