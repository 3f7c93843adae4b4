namespace GpuOsSpec.Specs.Memory;

[Hypothesis("Allocation goes through driver calls in the memory role; a launch does not", Role = "memory", Axis = "allocation count")]
public sealed class AllocationGoesThroughTheDriver(GpuContextFixture gpu) : SpecBase(gpu)
{
    // Memory-role syscalls per 1 MB allocate+free pair.
    private static readonly IReadOnlyDictionary<string, Expected> s_perAllocation = Vendors.Same(
        Expected.AtLeast(1, "device memory is allocated and freed by the driver"),
        ("cpu", Expected.AtMost(0.1, "glibc serves a freed 1 MB block again from its heap, with no syscall")),
        ("opencl-pocl", Expected.AtMost(0.1, "PoCL on the CPU allocates from its own pool")),
        // Refuted on NVIDIA's OpenCL (driver 580, H200): 0 syscalls; a buffer that is created and released unused is
        // never allocated on the device.
        ("opencl-nvidia", Expected.AtMost(0.1, "NVIDIA's OpenCL allocates a buffer at its first use, so an unused one costs nothing")));

    // Memory-role syscalls per launch.
    private static readonly IReadOnlyDictionary<string, Expected> s_perLaunch = Vendors.Same(
        Expected.AtMost(0.001, "launching allocates nothing"),
        // PoCL 5.0's workers allocated now and then under 4,000 launches (10 memory syscalls, H200 host).
        ("opencl-pocl", Expected.AtMost(0.01, "PoCL's workers allocate now and then")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Each_allocation_costs_memory_syscalls(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);
        context.Allocate(1 << 20, MemoryKind.Device).Dispose();

        var allocations = Scale.Measure("allocation", n =>
        {
            for (long i = 0; i < n; i++)
            {
                context.Allocate(1 << 20, MemoryKind.Device).Dispose();
            }
        }, sizes: [20, 80, 320], repetitions: 3, label: backend);

        MarginalWithin(allocations.Role(SyscallRole.Memory), For(context, s_perAllocation));
    }

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void A_launch_costs_no_memory_syscall(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);

        var launches = LaunchScaling(context, label: backend);

        MarginalWithin(launches.Role(SyscallRole.Memory), For(context, s_perLaunch));
    }
}
