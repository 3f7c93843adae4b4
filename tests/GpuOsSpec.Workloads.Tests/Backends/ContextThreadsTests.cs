using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Tests.Backends;

public class ContextThreadsTests
{
    // A tracer labels a context's threads from this list; a time window around its creation also caught whatever other
    // thread the process started meanwhile.
    [Fact]
    public void A_cpu_context_names_each_worker_it_started_disposed_streams_included()
    {
        using var context = BackendRegistry.Get("cpu").CreateContext(new ContextOptions(SyncMode.Auto, 0));
        var threads = (IContextThreads)context;
        var first = threads.ThreadIds.ToList();
        var stream = context.CreateStream();
        var second = threads.ThreadIds.ToList();
        var names = second.Select(Comm).ToList();
        stream.Dispose();

        first.Should().ContainSingle();
        second.Should().HaveCount(2).And.Contain(first);
        names.Should().OnlyContain(n => n.StartsWith("cpubackend-"), "these are the streams' workers");
        threads.ThreadIds.Should().Equal(second, "a disposed stream's worker made its last syscalls as the stream's");
    }

    private static string Comm(int tid) => File.ReadAllText($"/proc/self/task/{tid}/comm").Trim();
}
