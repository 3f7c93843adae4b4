using GpuOsSpec.Capture;
using GpuOsSpec.Fixtures;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Threads;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Xunit;

namespace GpuOsSpec.Tests.Fixtures;

/// <summary>Runs alone: the only flow that can wait for the trace gate is its own stand-in for another class.</summary>
[Collection(GateCollection.Name)]
public class ContextsBetweenTracesTests
{
    // Another class's fixture once made its context while a trace ran: the threads started before the fixture knew them
    // (or during the trace) and were named like a runtime's, so the trace counted their warm-up as its own.
    [GpuFact]
    public void Another_classes_fixture_makes_its_context_only_after_a_running_trace_ends()
    {
        using var otherFixture = new GpuContextFixture();
        IGpuContext? made = null;
        var otherClass = new OtherClass(() => Volatile.Write(ref made, otherFixture.Context("cpu")));

        Trace trace;
        bool madeDuringTrace;
        using (var scope = GpuSpec.Trace())
        {
            using (scope.Phase("trace"))
            {
                otherClass.Go();
                SpinWait.SpinUntil(() => TraceGate.Waiting > 0 || Volatile.Read(ref made) is not null, TimeSpan.FromSeconds(30));
            }
            madeDuringTrace = Volatile.Read(ref made) is not null;
            trace = scope.Stop();
        }
        otherClass.Join();

        madeDuringTrace.Should().BeFalse("the other class's context waits for the trace to end");
        trace.Threads.Select(t => t.Tid).Should().NotIntersectWith(((IContextThreads)made!).ThreadIds, "none of its threads ran during the trace");
    }
}
