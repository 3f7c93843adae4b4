using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>The same launches as plain launches and as one captured graph (CUDA): sub-phases steady/plain and
/// steady/graph.</summary>
public sealed class GraphLaunch() : Workload("graph-launch", "K empty launches, R times, as plain launches and as one captured CUDA graph (steady/plain, steady/graph)",
[
    WorkloadParameter.Int("kernels", "launches captured per graph", 100, 20),
    WorkloadParameter.Int("repeats", "graph launches (and plain batches)", 100, 10),
    WorkloadParameter.Sync(),
])
{
    public override void Run(WorkloadRun run)
    {
        long kernels = run.Settings.Int("kernels");
        long repeats = run.Settings.Int("repeats");
        IGpuContext context;
        IGpuStream stream;
        IGpuGraph graph;
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            if (context is Backends.GpuOs.GpuOsContext)
            {
                throw new NotSupportedException("graph-launch through gpuos is not built: a graph is captured and launched on the vendor's stream, and gpuos wraps only host waits");
            }
            if (context is not IGraphCapture capture)
            {
                throw new NotSupportedException($"graph-launch needs graphs (CUDA); the {context.Backend} backend has none");
            }
            run.VerifyVectorAdd(context);
            stream = context.CreateStream();
            graph = capture.Capture(stream, s =>
            {
                for (long k = 0; k < kernels; k++)
                {
                    s.Launch(context.Kernels.Empty, LaunchShape.Single);
                }
            });
            graph.Launch(stream);
            stream.Synchronize();
        }
        using (run.Phase("steady"))
        {
            using (run.Phase("plain"))
            {
                for (long r = 0; r < repeats; r++)
                {
                    for (long k = 0; k < kernels; k++)
                    {
                        stream.Launch(context.Kernels.Empty, LaunchShape.Single);
                    }
                    stream.Synchronize();
                }
                run.Count("launches", repeats * kernels);
                run.Count("kernels", repeats * kernels);
                run.Count("syncs", repeats);
            }
            run.ReportProgress(1, 2);
            using (run.Phase("graph"))
            {
                for (long r = 0; r < repeats; r++)
                {
                    graph.Launch(stream);
                    stream.Synchronize();
                }
                run.Count("graph launches", repeats);
                run.Count("kernels", repeats * kernels);
                run.Count("syncs", repeats);
            }
            run.ReportProgress(2, 2);
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
