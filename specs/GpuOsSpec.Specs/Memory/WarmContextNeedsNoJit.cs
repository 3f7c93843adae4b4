using System.Reflection;
using System.Runtime.CompilerServices;

namespace GpuOsSpec.Specs.Memory;

[Collection(AloneCollection.Name)]
[Hypothesis("A warm context's launches, waits, events and copies compile nothing and allocate nothing per launch", Role = "memory", Axis = "first use")]
public sealed class WarmContextNeedsNoJit(GpuContextFixture gpu) : SpecBase(gpu)
{
    // Only this class's own code is compiled ahead of the phase (PrepareMethod compiles a method, not its callees):
    // whatever the backend compiles on first use inside the phase is what the fixture's warm-up missed. A class that
    // ran earlier in the process may have compiled the same paths already, so the spec is strict only when it runs
    // first; run alone (dotnet test --filter WarmContextNeedsNoJit) it checks the warm-up by itself.
    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void A_phase_of_first_uses_on_a_warm_context_compiles_nothing(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Blocking);
        using var pinned = context.Allocate(4096, MemoryKind.PinnedHost);
        using var device = context.Allocate(4096, MemoryKind.Device);
        var host = new byte[4096];
        RuntimeHelpers.PrepareMethod(typeof(WarmContextNeedsNoJit).GetMethod(nameof(FirstUses), BindingFlags.NonPublic | BindingFlags.Static)!.MethodHandle);

        // A method no case has compiled yet: a theory's cases share the process, so a fixed method would compile once.
        string control = $"Control_{Guid.NewGuid():N}";
        var compileMe = NewMethod(control);
        using var trace = GpuSpec.Trace(label: backend, runtimeEvents: true);
        using (trace.Phase("control"))
        {
            compileMe();
        }
        using (trace.Phase("first uses"))
        {
            FirstUses(context, pinned, device, host);
        }
        var t = trace.Stop();

        // Positive control: the capture sees a compilation when one happens, so "none" below is a finding, not
        // blindness.
        t.Phase("control").RuntimeEvents.Should().Contain(e => e.Kind == RuntimeEventKind.Jit && e.Detail.Contains(control, StringComparison.Ordinal),
            "a method's first call compiles it, and the runtime events must show that");
        t.Phase("first uses").Should().HaveNoJitCompilations("the fixture's warm-up ran every path a spec's phase takes");
    }

    [GpuTheory]
    [Backends]
    public void A_launch_allocates_nothing_on_the_managed_heap(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);
        var s = context.DefaultStream;
        var busyWait = context.BusyWaitArgument(TimeSpan.Zero);
        const int launches = 10_000;
        s.Launch(context.Kernels.BusyWait, LaunchShape.Single, busyWait);
        s.Synchronize();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < launches; i++)
        {
            s.Launch(context.Kernels.BusyWait, LaunchShape.Single, busyWait);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        s.Synchronize();

        // Exact for this thread. A per-launch array or string costs 32 bytes or more per launch; under 1 byte per
        // launch leaves room only for a queue growing its storage now and then (amortised over the burst).
        ((double)allocated / launches).Should().BeLessThan(1, $"a launch allocates nothing (the burst of {launches:N0} allocated {allocated:N0} bytes)");
    }

    // A method compiled on its first call (a DynamicMethod returning 7): creating the delegate compiles nothing.
    private static Func<int> NewMethod(string name)
    {
        var method = new System.Reflection.Emit.DynamicMethod(name, typeof(int), Type.EmptyTypes, typeof(WarmContextNeedsNoJit).Module);
        var il = method.GetILGenerator();
        il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4_7);
        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        return method.CreateDelegate<Func<int>>();
    }

    private static void FirstUses(IGpuContext context, IGpuBuffer pinned, IGpuBuffer device, byte[] host)
    {
        var s = context.DefaultStream;
        for (int i = 0; i < 100; i++)
        {
            s.Launch(context.Kernels.Empty, LaunchShape.Single);
        }
        s.Launch(context.Kernels.BusyWait, LaunchShape.Single, context.BusyWaitArgument(TimeSpan.FromMicroseconds(20)));
        s.Synchronize();
        using (var e = s.Record())
        {
            s.Wait(e);
            e.Synchronize();
        }
        s.CopyToDevice(device, pinned);
        s.CopyToHost(pinned, device);
        s.CopyToDevice(device, host);
        s.CopyToHost(host, device);
        s.Synchronize();
    }
}
