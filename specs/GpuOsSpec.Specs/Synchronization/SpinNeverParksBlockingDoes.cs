using System.Runtime.CompilerServices;

namespace GpuOsSpec.Specs.Synchronization;

/// <summary>
/// The sample spec (README, "Writing a spec"). How the host waits for a kernel decides whether the waiting thread is
/// parked by the OS: blocking sync must park it at least once per wait; spin sync must never park it. Where a vendor
/// behaves otherwise, its expectation is written down below, and any other outcome fails.
/// </summary>
[Hypothesis("Blocking sync parks the waiting thread; spin sync never does", Role = "synchronization", Axis = "sync mode")]
public sealed class SpinNeverParksBlockingDoes : IClassFixture<GpuContextFixture>
{
    private const int Waits = 20;
    private static readonly TimeSpan s_kernel = TimeSpan.FromMilliseconds(2);

    // Voluntary context switches of the waiting thread over 20 blocking waits, per vendor.
    private static readonly Dictionary<string, (long Min, long Max, string Why)> s_blocking = new()
    {
        ["cuda"] = (Waits, long.MaxValue, "CU_CTX_SCHED_BLOCKING_SYNC parks the thread on each wait"),
        ["hip"] = (Waits, long.MaxValue, "hipDeviceScheduleBlockingSync parks the thread on each wait (not yet run on an AMD GPU)"),
        ["cpu"] = (Waits, long.MaxValue, "the CPU backend waits on a monitor"),
        ["opencl-pocl"] = (Waits, long.MaxValue, "clWaitForEvents sleeps on a condition variable"),
        // Refuted on NVIDIA's OpenCL (driver 580, H200): 0 of 20 waits parked the thread, and no wait yielded either
        // (YieldCallsSchedYieldInProportion): the thread stays on its CPU through the whole wait.
        ["opencl-nvidia"] = (0, 0, "NVIDIA's OpenCL keeps the waiting thread on its CPU instead of blocking"),
    };

    // Voluntary context switches of the waiting thread over 20 spin-waits, per vendor.
    private static readonly Dictionary<string, (long Min, long Max, string Why)> s_spin = new()
    {
        ["cuda"] = (0, 0, "CU_CTX_SCHED_SPIN polls without blocking"),
        ["hip"] = (0, 0, "hipDeviceScheduleSpin polls without blocking (not yet run on an AMD GPU)"),
        ["cpu"] = (0, 0, "the CPU backend spins on a completion counter"),
        ["opencl-nvidia"] = (0, 0, "polling clGetEventInfo does not block"),
        // Refuted on PoCL: polling clGetEventInfo takes the event's lock, which PoCL's workers hold while they run the
        // kernel, so the poller parks on the futex: 3 to 14 times in 20 waits (PoCL 3.1, 2 cores), 39 (PoCL 5.0, 16
        // cores).
        ["opencl-pocl"] = (0, 3 * Waits, "PoCL's event lock parks the poller, up to about twice per wait"),
    };

    private readonly GpuContextFixture _gpu;

    public SpinNeverParksBlockingDoes(GpuContextFixture gpu) => _gpu = gpu;

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Blocking_sync_parks_the_waiting_thread_once_per_wait(string backend)
    {
        var steady = WaitForKernels(backend, SyncMode.Blocking, out var context);
        var (min, max, why) = Vendor.Expectation(context, s_blocking);

        steady.FromOrigins(ThreadOrigin.Workload).Should()
            .HaveAtLeastVoluntarySwitches(min, why).And.HaveAtMostVoluntarySwitches(max, why);
    }

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Spin_sync_never_parks_the_waiting_thread(string backend)
    {
        var steady = WaitForKernels(backend, SyncMode.Spin, out var context);
        var (min, max, why) = Vendor.Expectation(context, s_spin);

        steady.FromOrigins(ThreadOrigin.Workload).Should()
            .HaveAtMostVoluntarySwitches(max, why).And.HaveAtLeastVoluntarySwitches(min, why);
    }

    // Launches a 2 ms busy-wait kernel and waits for it, 20 times, inside the traced phase "steady".
    private TraceView WaitForKernels(string backend, SyncMode mode, out IGpuContext context, [CallerMemberName] string spec = "")
    {
        context = _gpu.Context(backend, mode);
        var stream = context.DefaultStream;
        var wait = context.BusyWaitArgument(s_kernel);
        stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, wait);
        stream.Synchronize();
        using var trace = GpuSpec.Trace(label: backend, spec: spec);
        using (trace.Phase("steady"))
        {
            for (int i = 0; i < Waits; i++)
            {
                stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, wait);
                stream.Synchronize();
            }
        }
        return trace.Stop().Phase("steady");
    }
}
