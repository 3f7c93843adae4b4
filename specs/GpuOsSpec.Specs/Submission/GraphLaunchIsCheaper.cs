namespace GpuOsSpec.Specs.Submission;

[Hypothesis("A graph launch costs no more syscalls than plain launches, and less CPU time per kernel", Role = "submission", Axis = "submission API")]
public sealed class GraphLaunchIsCheaper(GpuContextFixture gpu) : SpecBase(gpu)
{
    // Only CUDA has graphs; for every other vendor the expectation written down is that it has none.
    private static readonly IReadOnlyDictionary<string, bool> s_hasGraphs = new Dictionary<string, bool>
    {
        ["cuda"] = true, ["hip"] = false, ["cpu"] = false, ["opencl-pocl"] = false, ["opencl-nvidia"] = false,
    };

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Graphs_cost_no_more_syscalls_and_less_cpu_per_kernel(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);
        bool hasGraphs = Vendor.Expectation(context, s_hasGraphs);
        (context is IGraphCapture).Should().Be(hasGraphs, "graphs are CUDA's");
        if (!hasGraphs)
        {
            GpuSpec.Skip($"{backend} has no graphs (as written down for it), so there is no graph launch to measure");
        }
        var stream = context.CreateStream();
        const int kernels = 100;
        var graph = ((IGraphCapture)context).Capture(stream, s => LaunchKernels(context, s, kernels));
        graph.Launch(stream);
        stream.Synchronize();

        var plain = Scale.Measure("kernel", n => { for (long b = 0; b < n / kernels; b++) { LaunchKernels(context, stream, kernels); } stream.Synchronize(); },
            sizes: [1_000, 10_000], repetitions: 3, label: $"{backend}-plain");
        var graphs = Scale.Measure("kernel", n => { for (long b = 0; b < n / kernels; b++) { graph.Launch(stream); } stream.Synchronize(); },
            sizes: [1_000, 10_000], repetitions: 3, label: $"{backend}-graph");

        graphs.Syscalls.Should().HaveMarginalCostAtMost(plain.Syscalls.Marginal + 0.001, "a graph replays the same launches without more kernel entries");
        graphs.CpuTimeNs.Should().HaveMarginalCostAtMost(plain.CpuTimeNs.Marginal, $"one call submits {kernels} kernels (plain: {plain.CpuTimeNs})");
    }

    private static void LaunchKernels(IGpuContext context, IGpuStream stream, int count)
    {
        for (int k = 0; k < count; k++)
        {
            stream.Launch(context.Kernels.Empty, LaunchShape.Single);
        }
    }
}
