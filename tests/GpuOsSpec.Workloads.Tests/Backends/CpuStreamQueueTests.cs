using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Workloads.Backends.Cpu;

namespace GpuOsSpec.Workloads.Tests.Backends;

/// <summary>
/// A CPU stream's queue has its full storage from the start, so a burst of launches allocates nothing on the submitting
/// thread: an allocation there may start a garbage collection on that thread, inside the caller's steady phase, and
/// each collection opens /proc/meminfo (the steady-no-open spec failed on it, about 1 run in 10).
/// </summary>
public class CpuStreamQueueTests
{
    [Fact]
    public void A_burst_as_deep_as_a_new_streams_queue_allocates_nothing_on_the_submitting_thread()
    {
        using var context = BackendRegistry.Get("cpu").CreateContext(new ContextOptions(SyncMode.Spin));
        var stream = (CpuStream)context.DefaultStream;
        var empty = context.Kernels.Empty;
        stream.Launch(empty, LaunchShape.Single);
        stream.Synchronize();
        // The worker is held by a long kernel, so the whole burst waits in the queue: the deepest backlog it can hold.
        stream.Launch(context.Kernels.BusyWait, LaunchShape.Single, context.BusyWaitArgument(TimeSpan.FromSeconds(1)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < CpuStream.Depth - 1; i++)
        {
            stream.Launch(empty, LaunchShape.Single);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long completedDuringBurst = stream.Completed;
        stream.Synchronize();

        completedDuringBurst.Should().Be(1, "the burst must have waited behind the long kernel, or it tested no backlog");
        allocated.Should().Be(0, "the queue's storage was grown when the stream was made");
    }
}
