using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>Launches with a sync every k: how synchronisation frequency shapes the OS footprint.</summary>
public sealed class SyncCadence() : Workload("sync-cadence", "N empty launches with a sync every k launches",
[
    WorkloadParameter.Int("launches", "kernel launches in the steady phase", 10_000, 1_000),
    WorkloadParameter.Int("every", "launches between syncs", 10, 10),
    WorkloadParameter.Sync(),
])
{
    public override void Run(WorkloadRun run)
    {
        long launches = run.Settings.Int("launches");
        long every = run.Settings.Int("every");
        IGpuContext context;
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            context.DefaultStream.Launch(context.Kernels.Empty, LaunchShape.Single);
            context.DefaultStream.Synchronize();
        }
        using (run.Phase("steady"))
        {
            var stream = context.DefaultStream;
            var empty = context.Kernels.Empty;
            long syncs = 0;
            for (long i = 0; i < launches; i++)
            {
                stream.Launch(empty, LaunchShape.Single);
                if ((i + 1) % every == 0)
                {
                    stream.Synchronize();
                    syncs++;
                    run.ReportProgress(i, launches);
                }
            }
            stream.Synchronize();
            run.Count("launches", launches);
            run.Count("syncs", syncs + 1);
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
