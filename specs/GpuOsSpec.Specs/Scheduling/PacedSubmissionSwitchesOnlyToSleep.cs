namespace GpuOsSpec.Specs.Scheduling;

[Hypothesis("With paced submission the only context switches are the sleeps'; the runtime adds none", Role = "scheduling", Axis = "submission cadence")]
public sealed class PacedSubmissionSwitchesOnlyToSleep(GpuContextFixture gpu) : SpecBase(gpu)
{
    private const int Launches = 200;

    // Voluntary switches of the runtime's own threads over 200 paced launches.
    private static readonly IReadOnlyDictionary<string, Expected> s_runtimeSwitches = Vendors.Same(
        // CUDA's event-handler threads (one per live context) wake on their own timers: 10 wake-ups in 30 ms on the
        // H200.
        Expected.AtMost(Launches / 10.0, "a warm runtime's threads wake on their own timers, not per launch"),
        // Refuted where the runtime's worker threads execute the kernels: they park while the submitter sleeps and are
        // woken by each launch (50 switches for 200 launches on the CPU backend, 610 to 1,151 on PoCL 3.1, 2 cores).
        ("cpu", Expected.AtMost(2 * Launches, "the CPU backend's worker parks between paced launches and is woken by each")),
        // PoCL runs a worker per core: 6,876 switches for 200 launches with 16 cores (PoCL 5.0, H200 host).
        ("opencl-pocl", Expected.AtMost(4.0 * Launches * Environment.ProcessorCount, "PoCL's workers, one per core, park between paced launches and are woken by each")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void The_submitting_thread_parks_once_per_sleep_and_the_runtime_not_at_all(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);
        var stream = context.DefaultStream;
        Launch(context, stream, 10);
        Usleep(1);
        using var trace = GpuSpec.Trace(label: backend);
        using (trace.Phase("paced"))
        {
            for (int i = 0; i < Launches; i++)
            {
                stream.Launch(context.Kernels.Empty, LaunchShape.Single);
                Usleep(100);
            }
        }
        var paced = trace.Stop().Phase("paced");
        var expected = For(context, s_runtimeSwitches);
        stream.Synchronize();

        paced.FromOrigins(ThreadOrigin.Workload).Should()
            .HaveAtLeastVoluntarySwitches(Launches * 9 / 10, "each 100 us sleep parks the thread")
            .And.HaveAtMostVoluntarySwitches(Launches + 10, "nothing but the sleeps parks it");
        paced.FromOrigins(ThreadOrigin.GpuRuntime).Should().HaveAtMostVoluntarySwitches((long)expected.Max, expected.Why);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "usleep")]
    private static extern int Usleep(uint microseconds);
}
