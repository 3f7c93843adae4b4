namespace GpuOsSpec.Specs.Submission;

[Hypothesis("More streams or queues add no syscalls per launch", Role = "submission", Axis = "stream count")]
public sealed class MoreStreamsAddNoSyscalls(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly IReadOnlyDictionary<string, Expected> s_extraPerLaunch = Vendors.Same(
        Expected.AtMost(0.01, "each stream is its own user-space queue"),
        // Refuted on PoCL: spreading launches over four queues wakes workers far more often (1.69 syscalls per launch
        // against 0.14 on one queue, PoCL 3.1, 2 cores): each queue's launch finds its worker idle.
        ("opencl-pocl", Expected.AtMost(3, "PoCL wakes an idle worker for each queue a launch lands on")),
        // Refuted on the CPU backend: each stream is a worker thread that parks when idle, and launches spread over
        // four streams leave each idle long enough to park (0.04 extra syscalls per launch, 2 cores).
        ("cpu", Expected.AtMost(1, "each CPU-backend stream's worker parks when idle and is woken by its next launch")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Four_streams_cost_no_more_syscalls_per_launch_than_one(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);
        var streams = Enumerable.Range(0, 4).Select(_ => context.CreateStream()).ToList();
        foreach (var s in streams)
        {
            Launch(context, s, 10);
        }

        var one = LaunchScaling(context, streams[0], label: $"{backend}-1");
        var four = GpuOsSpec.Scaling.Scale.Measure("launch", n =>
        {
            for (long i = 0; i < n; i++)
            {
                streams[(int)(i % 4)].Launch(context.Kernels.Empty, LaunchShape.Single);
            }
            foreach (var s in streams)
            {
                s.Synchronize();
            }
        }, sizes: [100, 1_000, 4_000], repetitions: 3, label: $"{backend}-4");

        var expected = For(context, s_extraPerLaunch);
        double extra = four.Syscalls.Marginal - one.Syscalls.Marginal;
        extra.Should().BeLessThanOrEqualTo(expected.Max, $"{expected.Why} (one stream: {one.Syscalls}; four: {four.Syscalls})");
    }
}
