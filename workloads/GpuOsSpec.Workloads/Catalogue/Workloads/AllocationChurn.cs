using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>Allocate and free, repeatedly: what memory management costs through the driver.</summary>
public sealed class AllocationChurn() : Workload("allocation-churn", "allocate and free a buffer N times (device, pinned or mapped memory)",
[
    WorkloadParameter.Int("allocations", "allocate+free pairs", 1_000, 100),
    WorkloadParameter.Int("bytes", "size of each allocation", 1 << 20, 1 << 20),
    WorkloadParameter.OneOf("memory", "device, pinned or mapped", "device", "device", "pinned", "mapped"),
])
{
    public override void Run(WorkloadRun run)
    {
        long allocations = run.Settings.Int("allocations");
        long bytes = run.Settings.Int("bytes");
        var kind = run.Settings.Word("memory") switch { "pinned" => MemoryKind.PinnedHost, "mapped" => MemoryKind.Mapped, _ => MemoryKind.Device };
        IGpuContext context;
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            context.Allocate(bytes, kind).Dispose();
        }
        using (run.Phase("steady"))
        {
            for (long i = 0; i < allocations; i++)
            {
                context.Allocate(bytes, kind).Dispose();
                if ((i & 63) == 0)
                {
                    run.ReportProgress(i, allocations);
                }
            }
            run.Count("allocations", allocations);
            run.Count("frees", allocations);
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
