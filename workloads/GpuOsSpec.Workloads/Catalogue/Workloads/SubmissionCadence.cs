using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>Launches in a burst, or paced with sleeps between them: which context switches are the runtime's
/// own.</summary>
public sealed class SubmissionCadence() : Workload("submission-cadence", "empty launches in a burst, or paced with a sleep between launches (one clock_nanosleep each)",
[
    WorkloadParameter.Int("launches", "kernel launches in the steady phase", 1_000, 100),
    WorkloadParameter.OneOf("cadence", "burst or paced", "paced", "burst", "paced"),
    WorkloadParameter.Int("pace_us", "sleep between paced launches, microseconds", 100, 100),
    WorkloadParameter.Sync(),
])
{
    public override void Run(WorkloadRun run)
    {
        long launches = run.Settings.Int("launches");
        bool paced = run.Settings.Word("cadence") == "paced";
        uint pace = (uint)run.Settings.Int("pace_us");
        IGpuContext context;
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            context.DefaultStream.Launch(context.Kernels.Empty, LaunchShape.Single);
            context.DefaultStream.Synchronize();
            Interop.Libc.Usleep(1);
        }
        using (run.Phase("steady"))
        {
            var stream = context.DefaultStream;
            var empty = context.Kernels.Empty;
            for (long i = 0; i < launches; i++)
            {
                stream.Launch(empty, LaunchShape.Single);
                if (paced)
                {
                    Interop.Libc.Usleep(pace);
                }
                if ((i & 63) == 0)
                {
                    run.ReportProgress(i, launches);
                }
            }
            stream.Synchronize();
            run.Count("launches", launches);
            run.Count("sleeps", paced ? launches : 0);
            run.Count("syncs");
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
