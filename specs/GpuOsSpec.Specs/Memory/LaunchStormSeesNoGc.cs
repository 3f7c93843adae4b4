using GpuOsSpec.Assertions;
using GpuOsSpec.Fixtures;
using GpuOsSpec.Specs.Support;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Xunit;

namespace GpuOsSpec.Specs.Memory;

/// <summary>Runs alone: a collection is process-wide, and another test allocating at the same time would trigger one.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone (process-wide .NET runtime figures)";
}

[Collection(AloneCollection.Name)]
[Hypothesis("A launch storm's steady phase sees no .NET garbage collection", Role = "memory", Axis = "launch count")]
public sealed class LaunchStormSeesNoGc(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly IReadOnlyDictionary<string, bool> s_collects = new Dictionary<string, bool>
    {
        ["cuda"] = false, ["hip"] = false, ["opencl-pocl"] = false, ["opencl-nvidia"] = false,
        ["cpu"] = false,
    };

    [GpuTheory(Sources = new[] { "perf" })]
    [Backends]
    public void Ten_thousand_launches_trigger_no_gc(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);
        Launch(context, context.DefaultStream, 100);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var trace = GpuSpec.Trace(label: backend, runtimeEvents: true);
        using (trace.Phase("steady"))
        {
            Launch(context, context.DefaultStream, 10_000);
        }
        var steady = trace.Stop().Phase("steady");

        if (Vendor.Expectation(context, s_collects))
        {
            steady.RuntimeEvents.Should().Contain(e => e.Kind == Tracing.Model.RuntimeEventKind.GarbageCollection);
        }
        else
        {
            steady.Should().HaveNoGarbageCollections("launching allocates nothing on the managed heap");
        }
    }
}
