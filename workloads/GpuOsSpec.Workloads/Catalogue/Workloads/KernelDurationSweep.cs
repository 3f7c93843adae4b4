using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>Kernels of several lengths, each a sub-phase of steady: how the OS footprint scales with kernel
/// time.</summary>
public sealed class KernelDurationSweep() : Workload("kernel-duration", "busy-wait kernels of several lengths (sub-phases steady/<N>us), each followed by a sync",
[
    WorkloadParameter.List("durations_us", "kernel lengths in microseconds", "10,100,1000", "10,100"),
    WorkloadParameter.Int("repeats", "kernel+sync pairs per length", 20, 5),
    WorkloadParameter.Sync(),
])
{
    public override void Run(WorkloadRun run)
    {
        var durations = run.Settings.List("durations_us");
        long repeats = run.Settings.Int("repeats");
        IGpuContext context;
        var waits = new Dictionary<long, KernelArgument>();
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            foreach (long us in durations)
            {
                waits[us] = context.BusyWaitArgument(TimeSpan.FromMicroseconds(us));
            }
            context.DefaultStream.Launch(context.Kernels.BusyWait, LaunchShape.Single, waits[durations[0]]);
            context.DefaultStream.Synchronize();
        }
        using (run.Phase("steady"))
        {
            var stream = context.DefaultStream;
            for (int d = 0; d < durations.Count; d++)
            {
                long us = durations[d];
                using (run.Phase($"{us}us"))
                {
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    for (long i = 0; i < repeats; i++)
                    {
                        stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, waits[us]);
                        stream.Synchronize();
                    }
                    run.Count("launches", repeats);
                    run.Count("syncs", repeats);
                    run.Check($"{us} us kernels took their length", started.Elapsed.TotalMicroseconds >= us * repeats * 0.25,
                        $"{repeats} x {us} us took {started.Elapsed.TotalMilliseconds:F2} ms");
                }
                run.ReportProgress(d + 1, durations.Count);
            }
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
