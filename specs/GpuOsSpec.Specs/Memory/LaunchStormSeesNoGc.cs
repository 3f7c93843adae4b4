namespace GpuOsSpec.Specs.Memory;

/// <summary>Runs alone: a collection is process-wide, and another test allocating at the same time would trigger
/// one.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone (process-wide .NET runtime figures)";
}

[Collection(AloneCollection.Name)]
[Hypothesis("A launch storm's steady phase sees no .NET garbage collection", Role = "memory", Axis = "launch count")]
public sealed class LaunchStormSeesNoGc(GpuContextFixture gpu) : SpecBase(gpu)
{
    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
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
        using (trace.Phase("control"))
        {
            GC.Collect(0);
        }
        var t = trace.Stop();

        // Positive control, after the storm so it cannot disturb it: the capture sees a collection when one happens.
        t.Phase("control").Should().HaveAtLeastGarbageCollections(1, "GC.Collect(0) collects, and the runtime events must show it");
        // No vendor was seen to collect (cuda, NVIDIA OpenCL, PoCL and cpu on the H200), so there is no per-vendor
        // branch.
        t.Phase("steady").Should().HaveNoGarbageCollections("launching allocates nothing on the managed heap");
    }
}
