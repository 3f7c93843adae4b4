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
        ("opencl-pocl", new Expected(0.5, 3, "PoCL wakes its worker thread with a futex for each launch")));

    [GpuTheory(Sources = new[] { "perf" })]
    [Backends]
    public void Syscalls_per_launch_are_below_one_in_a_hundred(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);

        var launches = LaunchScaling(context, label: backend);

        MarginalWithin(launches.Syscalls, For(context, s_perLaunch));
    }
}
