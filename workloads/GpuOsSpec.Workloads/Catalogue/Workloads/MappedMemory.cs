using System.Buffers.Binary;
using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>A kernel writes memory both sides see (managed or host-mapped), then the host reads it back, in
/// rounds.</summary>
public sealed class MappedMemory() : Workload("mapped-memory", "touch kernel on managed (CUDA, HIP) or host-mapped (OpenCL) memory, host reads it each round",
[
    WorkloadParameter.Int("bytes", "buffer size", 16 << 20, 1 << 20),
    WorkloadParameter.Int("rounds", "kernel + host-read rounds", 10, 3),
    WorkloadParameter.Sync(),
])
{
    public override void Run(WorkloadRun run)
    {
        long bytes = run.Settings.Int("bytes") & ~3L;
        long rounds = run.Settings.Int("rounds");
        uint words = (uint)(bytes / 4);
        IGpuContext context;
        IGpuBuffer buffer;
        using (run.Phase("setup"))
        {
            context = run.CreateContext();
            run.VerifyVectorAdd(context);
            buffer = context.Allocate(bytes, MemoryKind.Mapped);
        }
        using (run.Phase("steady"))
        {
            var stream = context.DefaultStream;
            bool intact = true;
            for (long r = 0; r < rounds; r++)
            {
                stream.Launch(context.Kernels.Touch, LaunchShape.Cover(words), KernelArgument.Of(buffer), KernelArgument.Of(words));
                stream.Synchronize();
                stream.AccessHost(buffer, span =>
                {
                    uint last = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)((words - 1) * 4)..]);
                    uint middle = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(words / 2 * 4)..]);
                    intact &= last == words - 1 && middle == words / 2;
                    span[..4].Clear();
                });
                run.ReportProgress(r + 1, rounds);
            }
            run.Count("launches", rounds);
            run.Count("host reads", rounds);
            run.Check("the host sees what the kernel wrote", intact, $"{rounds} rounds over {words} words");
        }
        using (run.Phase("teardown"))
        {
            context.Dispose();
        }
    }
}
