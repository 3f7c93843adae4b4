using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>N empty-kernel launches, then one sync: the cost of a launch once the context is warm.</summary>
public sealed class LaunchStorm() : Workload("launch-storm", "N launches of an empty kernel, then one sync: what a warm launch costs the OS",
[
    WorkloadParameter.Int("launches", "kernel launches in the steady phase", 10_000, 1_000),
    WorkloadParameter.Sync(),
])
{
    public override void Run(WorkloadRun run)
    {
        long launches = run.Settings.Int("launches");
        IGpuContext context;
        IGpuStream stream;
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            stream = context.DefaultStream;
            stream.Launch(context.Kernels.Empty, LaunchShape.Single);
            stream.Synchronize();
        }
        using (run.Phase("steady"))
        {
            var empty = context.Kernels.Empty;
            for (long i = 0; i < launches; i++)
            {
                stream.Launch(empty, LaunchShape.Single);
                if ((i & 1023) == 0)
                {
                    run.ReportProgress(i, launches);
                }
            }
            stream.Synchronize();
            run.Count("launches", launches);
            run.Count("syncs");
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
