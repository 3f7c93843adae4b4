namespace GpuOsSpec.Specs.Synchronization;

/// <summary>Both look at the waiting thread alone: a runtime's own threads park and wake however the host
/// waits.</summary>
[Hypothesis("Under spin, kernel length does not change the syscall count; under yield, sched_yield grows with it", Role = "synchronization", Axis = "kernel length")]
public sealed class YieldCallsSchedYieldInProportion(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly long[] s_microseconds = [200, 800, 3_200];

    // Syscalls per microsecond of kernel, waiting in spin mode.
    private static readonly IReadOnlyDictionary<string, Expected> s_spin = Vendors.Same(
        Expected.AtMost(0.001, "a spinning wait makes no syscall however long it lasts"),
        ("opencl-pocl", Expected.AtMost(0.05, "polling PoCL's event takes its lock; contention makes futex calls now and then")));

    // sched_yield calls per microsecond of kernel, waiting in yield mode.
    private static readonly IReadOnlyDictionary<string, Expected> s_yield = Vendors.Same(
        Expected.AtLeast(0.01, "a yielding wait calls sched_yield over and over while the kernel runs"),
        // Refuted on the CPU backend: its kernel runs on a host core. When that is the waiter's core, each sched_yield
        // hands the core to the kernel for a whole time slice, so 2 to 5 calls cover a 3.2 ms wait on 2 cores; when the
        // kernel has a core of its own the calls run into thousands. Only the lower bound below is stable.
        ("cpu", new Expected(double.MinValue, double.MaxValue, "sched_yield hands the core to the CPU kernel itself")),
        ("opencl-pocl", new Expected(double.MinValue, double.MaxValue, "sched_yield hands the core to PoCL's kernel thread itself (1 to 922 calls per wait seen)")),
        // Refuted on NVIDIA's OpenCL (driver 580, H200): the waiting thread rarely reached a poll that found the kernel
        // still running, so it yielded a handful of times at most; the wait happens before the poll, with no syscall.
        ("opencl-nvidia", Expected.AtMost(0.01, "the wait happens before the poll; the thread rarely yields")));

    // sched_yield calls of the waiting thread over the whole measurement.
    private static readonly IReadOnlyDictionary<string, Expected> s_yieldAtAll = Vendors.Same(
        Expected.AtLeast(1, "yield mode must yield while it waits"),
        // 0 in one run, 15 in the next, over 9 waits of up to 3.2 ms: NVIDIA's OpenCL rarely leaves anything to poll
        // for.
        ("opencl-nvidia", new Expected(0, 100, "the wait mostly happens before the poll; the thread rarely yields")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Spin_waits_make_no_more_syscalls_for_longer_kernels(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);

        var waits = WaitScaling(context, backend, ThreadOrigin.Workload);

        MarginalWithin(waits.Syscalls, For(context, s_spin));
    }

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Yield_waits_call_sched_yield_in_proportion_to_kernel_length(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Yield);

        var waits = WaitScaling(context, backend, ThreadOrigin.Workload);

        var atAll = For(context, s_yieldAtAll);
        waits.Trace.View().FromOrigins(ThreadOrigin.Workload).Should().HaveAtLeastCallsTo("sched_yield", (long)atAll.Min, atAll.Why)
            .And.HaveAtMostCallsTo("sched_yield", atAll.Max >= long.MaxValue ? long.MaxValue : (long)atAll.Max, atAll.Why);
        MarginalWithin(waits.Syscall("sched_yield"), For(context, s_yield));
    }

    private static ScalingResult WaitScaling(IGpuContext context, string backend, ThreadOrigin origins, [System.Runtime.CompilerServices.CallerMemberName] string spec = "")
    {
        var stream = context.DefaultStream;
        var args = s_microseconds.ToDictionary(us => us, us => context.BusyWaitArgument(TimeSpan.FromMicroseconds(us)));
        stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, args[s_microseconds[0]]);
        stream.Synchronize();
        return Scale.Measure("microsecond of kernel", us =>
        {
            stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, args[us]);
            stream.Synchronize();
        }, sizes: s_microseconds, repetitions: 3, label: backend, origins: origins, spec: spec);
    }
}
