using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>Launches spread over S streams (or one out-of-order queue), optionally chained by events.</summary>
public sealed class Ordering() : Workload("ordering", "empty launches round-robin over S streams/queues: in-order, out-of-order (OpenCL), or chained by events",
[
    WorkloadParameter.Int("launches", "kernel launches in the steady phase", 1_000, 200),
    WorkloadParameter.Int("streams", "streams or queues", 4, 2),
    WorkloadParameter.OneOf("order", "in-order streams, one out-of-order queue, or streams chained by events", "in-order", "in-order", "out-of-order", "events"),
    WorkloadParameter.Sync(),
])
{
    public override void Run(WorkloadRun run)
    {
        long launches = run.Settings.Int("launches");
        int count = (int)run.Settings.Int("streams");
        string order = run.Settings.Word("order");
        IGpuContext context;
        var streams = new List<IGpuStream>();
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            if (order == "out-of-order")
            {
                streams.Add(context.CreateStream(outOfOrder: true));
            }
            else
            {
                for (int s = 0; s < count; s++)
                {
                    streams.Add(context.CreateStream());
                }
            }
            foreach (var s in streams)
            {
                s.Launch(context.Kernels.Empty, LaunchShape.Single);
                s.Synchronize();
            }
        }
        using (run.Phase("steady"))
        {
            var empty = context.Kernels.Empty;
            var events = new List<IGpuEvent>();
            IGpuEvent? previous = null;
            for (long i = 0; i < launches; i++)
            {
                var stream = streams[(int)(i % streams.Count)];
                if (order == "events" && previous is not null)
                {
                    stream.Wait(previous);
                }
                stream.Launch(empty, LaunchShape.Single);
                if (order == "events")
                {
                    previous = stream.Record();
                    events.Add(previous);
                }
            }
            foreach (var s in streams)
            {
                s.Synchronize();
            }
            run.Check("every event completed", events.All(e => e.IsComplete), $"{events.Count} events");
            foreach (var e in events)
            {
                e.Dispose();
            }
            run.Count("launches", launches);
            run.Count("events", events.Count);
            run.Count("syncs", streams.Count);
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
