using GpuOsSpec.Assertions;
using GpuOsSpec.Capture;
using GpuOsSpec.Fixtures;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Threads;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Xunit;

namespace GpuOsSpec.Tests.Fixtures;

public class ParallelClassesTests
{
    // xUnit runs test classes in parallel in one process, and a trace sees every thread of it: another class's GPU
    // runtime threads, busy with that class's work, once landed in this class's default views.
    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void Another_test_classes_runtime_threads_stay_out_of_the_default_view()
    {
        using var otherFixture = new GpuContextFixture();
        var other = OtherClass.Run(() => otherFixture.Context("cpu", SyncMode.Blocking));
        using var stop = new CancellationTokenSource();
        // The other class's work: launches a millisecond apart, so its worker parks and is woken (futex) each time.
        int iterations = 0;
        // A thread of its own: the thread pool may be slow to give one while other tests hold its threads.
        var otherWork = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                other.DefaultStream.Launch(other.Kernels.Empty, LaunchShape.Single);
                other.DefaultStream.Synchronize();
                Interlocked.Increment(ref iterations);
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = "other-class" };
        otherWork.Start();

        Trace trace;
        using (var scope = GpuSpec.Trace())
        {
            using (scope.Phase("steady"))
            {
                // Until the other class's worker has run during the phase, however loaded the machine.
                int before = Volatile.Read(ref iterations);
                SpinWait.SpinUntil(() => Volatile.Read(ref iterations) >= before + 5, TimeSpan.FromSeconds(30));
            }
            trace = scope.Stop();
        }
        stop.Cancel();
        otherWork.Join();

        int[] otherThreads = ((IContextThreads)other).ThreadIds.ToArray();
        var steady = trace.Phase("steady");
        steady.FromOrigins(ThreadOrigin.All).OnThreads(otherThreads).SyscallCount().Value.Should().BeGreaterThan(0,
            "the other class's worker was busy during the phase and the capture saw it (else this test proves nothing)");
        steady.OnThreads(otherThreads).Should().HaveAtMostSyscalls(0, "the other class's threads are not this test's");
        trace.Threads.Where(t => otherThreads.Contains(t.Tid)).Should().NotBeEmpty().And.OnlyContain(t => t.Origin == ThreadOrigin.Foreign);
    }

    // A context another class makes without a fixture while this trace runs is in no fixture's list: its threads,
    // named like a runtime's, once counted as this trace's. The thread that starts them is the other class's.
    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void A_context_another_class_makes_during_the_trace_stays_out_of_the_default_view()
    {
        IGpuContext? made = null;
        var otherClass = new OtherClass(() =>
        {
            var context = BackendRegistry.Get("cpu").CreateContext(new ContextOptions(SyncMode.Blocking, 0));
            for (int i = 0; i < 20; i++)
            {
                context.DefaultStream.Launch(context.Kernels.Empty, LaunchShape.Single);
                context.DefaultStream.Synchronize();
            }
            made = context;
        });

        Trace trace;
        using (var scope = GpuSpec.Trace())
        {
            using (scope.Phase("work"))
            {
                otherClass.Go();
                otherClass.Join();
            }
            trace = scope.Stop();
        }
        using var other = made!;

        int[] otherThreads = ((IContextThreads)other).ThreadIds.ToArray();
        var work = trace.Phase("work");
        work.FromOrigins(ThreadOrigin.All).OnThreads(otherThreads).SyscallCount().Value.Should().BeGreaterThan(0,
            "the capture saw the other class's context start and work");
        work.OnThreads(otherThreads).Should().HaveAtMostSyscalls(0, "the other class's threads are not this test's");
        trace.Threads.Where(t => otherThreads.Contains(t.Tid)).Should().OnlyContain(t => t.Origin == ThreadOrigin.Foreign && t.CreatedDuringCapture);
    }

    // A third class's case that starts while the context is made checks its requirements, and its discovery watches
    // the process's threads for the runtime's: the window also took the other class's new threads (seen once under
    // load, a worker counted as this trace's with its futexes). Here that window is held open around the other class's
    // work, so the order that once happened by chance happens every time.
    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void A_context_another_class_makes_while_a_discovery_watches_for_runtime_threads_stays_out_of_the_default_view()
    {
        IGpuContext? made = null;
        var otherClass = new OtherClass(() =>
        {
            var context = BackendRegistry.Get("cpu").CreateContext(new ContextOptions(SyncMode.Blocking, 0));
            context.DefaultStream.Launch(context.Kernels.Empty, LaunchShape.Single);
            context.DefaultStream.Synchronize();
            made = context;
        });

        Trace trace;
        using (var scope = GpuSpec.Trace())
        {
            using (scope.Phase("work"))
            {
                RuntimeThreads.Observe(() =>
                {
                    otherClass.Go();
                    otherClass.Join();
                    return 0;
                });
            }
            trace = scope.Stop();
        }
        using var other = made!;

        int[] otherThreads = ((IContextThreads)other).ThreadIds.ToArray();
        RuntimeThreads.Tids.Should().Contain(otherThreads, "the discovery's window took the other class's threads (else this test proves nothing)");
        var work = trace.Phase("work");
        work.FromOrigins(ThreadOrigin.All).OnThreads(otherThreads).SyscallCount().Value.Should().BeGreaterThan(0,
            "the capture saw the other class's context start and work");
        work.OnThreads(otherThreads).Should().HaveAtMostSyscalls(0, "the other class's threads are not this test's");
        trace.Threads.Where(t => otherThreads.Contains(t.Tid)).Should().OnlyContain(t => t.Origin == ThreadOrigin.Foreign && t.CreatedDuringCapture);
    }
}
