using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>A long kernel and a sync, repeated: how the sync mode waits (spin, yield, park).</summary>
public sealed class SyncModeOnLongKernel() : Workload("sync-mode", "a busy-wait kernel of a given length, then a sync, repeated: how the host waits in each sync mode",
[
    WorkloadParameter.Int("kernel_us", "busy-wait kernel length in microseconds", 1_000, 200),
    WorkloadParameter.Int("repeats", "kernel+sync pairs", 20, 5),
    WorkloadParameter.Sync("blocking"),
])
{
    public override void Run(WorkloadRun run)
    {
        var length = TimeSpan.FromMicroseconds(run.Settings.Int("kernel_us"));
        long repeats = run.Settings.Int("repeats");
        IGpuContext context;
        KernelArgument wait;
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            wait = context.BusyWaitArgument(length);
            context.DefaultStream.Launch(context.Kernels.BusyWait, LaunchShape.Single, wait);
            context.DefaultStream.Synchronize();
        }
        using (run.Phase("steady"))
        {
            var stream = context.DefaultStream;
            var started = System.Diagnostics.Stopwatch.StartNew();
            for (long i = 0; i < repeats; i++)
            {
                stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, wait);
                stream.Synchronize();
                run.ReportProgress(i, repeats);
            }
            run.Count("launches", repeats);
            run.Count("syncs", repeats);
            var expected = length * repeats;
            // A quarter of the length at least: enough to catch a busy-wait that does nothing (an optimised-away loop
            // ran in a hundredth of its time), with room for OpenCL's calibrated loop on a CPU device that other
            // processes share (a 2-core CI machine running several test assemblies at once ran it at 37 % of its
            // length).
            run.Check("busy-wait kernels took their length", started.Elapsed >= expected * 0.25,
                $"{repeats} x {length.TotalMicroseconds:F0} us took {started.Elapsed.TotalMilliseconds:F1} ms (at least {expected.TotalMilliseconds * 0.25:F1} ms expected)");
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
