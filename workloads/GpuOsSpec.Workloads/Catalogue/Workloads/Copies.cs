using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>Host-device round trips across sizes, from pageable and from pinned memory, each a sub-phase of
/// steady.</summary>
public sealed class Copies() : Workload("copies", "host-to-device and back across sizes, pageable and pinned (sub-phases steady/<memory>-<bytes>), data checked",
[
    WorkloadParameter.List("sizes", "copy sizes in bytes", "4096,1048576,16777216", "4096,1048576"),
    WorkloadParameter.Int("repeats", "round trips per size", 20, 3),
    WorkloadParameter.OneOf("memory", "pageable, pinned or both", "both", "pageable", "pinned", "both"),
    WorkloadParameter.Sync(),
])
{
    public override void Run(WorkloadRun run)
    {
        var sizes = run.Settings.List("sizes");
        long repeats = run.Settings.Int("repeats");
        string memory = run.Settings.Word("memory");
        var kinds = memory == "both" ? new[] { "pageable", "pinned" } : new[] { memory };
        long max = sizes.Max();
        IGpuContext context;
        IGpuBuffer device, pinnedIn, pinnedOut;
        byte[] pageableIn, pageableOut;
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            device = context.Allocate(max, MemoryKind.Device);
            pinnedIn = context.Allocate(max, MemoryKind.PinnedHost);
            pinnedOut = context.Allocate(max, MemoryKind.PinnedHost);
            pageableIn = new byte[max];
            pageableOut = new byte[max];
            new Random(42).NextBytes(pageableIn);
            context.DefaultStream.AccessHost(pinnedIn, span => pageableIn.CopyTo(span));
        }
        using (run.Phase("steady"))
        {
            var stream = context.DefaultStream;
            int step = 0;
            foreach (string kind in kinds)
            {
                foreach (long size in sizes)
                {
                    using (run.Phase($"{kind}-{size}"))
                    {
                        for (long r = 0; r < repeats; r++)
                        {
                            // Fresh pageable memory each round would fault anew; the first round's faults are the
                            // point.
                            if (kind == "pageable")
                            {
                                stream.CopyToDevice(device, pageableIn.AsSpan(0, (int)size));
                                stream.CopyToHost(pageableOut.AsSpan(0, (int)size), device);
                            }
                            else
                            {
                                stream.CopyToDevice(device, pinnedIn);
                                stream.CopyToHost(pinnedOut, device);
                                stream.Synchronize();
                            }
                        }
                        run.Count("copies", repeats * 2);
                        run.Count("bytes", repeats * 2 * size);
                    }
                    run.ReportProgress(++step, kinds.Length * sizes.Count);
                }
            }
        }
        using (run.Phase("teardown"))
        {
            bool pageableOk = kinds.Contains("pageable") ? pageableOut.AsSpan(0, (int)sizes[^1]).SequenceEqual(pageableIn.AsSpan(0, (int)sizes[^1])) : true;
            bool pinnedOk = true;
            if (kinds.Contains("pinned"))
            {
                context.DefaultStream.AccessHost(pinnedOut, span => pinnedOk = span[..(int)max].SequenceEqual(pageableIn));
            }
            run.Check("round-tripped data is intact", pageableOk && pinnedOk, $"pageable {(pageableOk ? "ok" : "corrupt")}, pinned {(pinnedOk ? "ok" : "corrupt")}");
            context.Dispose();
        }
    }
}
