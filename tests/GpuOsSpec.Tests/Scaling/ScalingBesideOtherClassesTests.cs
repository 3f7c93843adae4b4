using System.Diagnostics;
using GpuOsSpec.Capture;
using GpuOsSpec.Fixtures;
using GpuOsSpec.Scaling;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Threads;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Xunit;

namespace GpuOsSpec.Tests.Scaling;

/// <summary>Runs alone: the only flow that can wait for the trace gate is its own stand-in for another class.</summary>
[Collection(GateCollection.Name)]
public class ScalingBesideOtherClassesTests
{
    // ScalingTests' exact slope failed in about one run in ten: ParallelClassesTests' fixture made its CPU context
    // while the phases ran, and the new cpubackend threads' start and warm-up (futex, mmap, sched_yield, ...) counted
    // in them, labelled GPU runtime by their names. Here the other class asks for its context inside the first phase,
    // which lasts until the context is made or the other class waits for it.
    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void A_context_another_class_makes_while_a_measurement_runs_adds_nothing_to_its_phases()
    {
        using var otherFixture = new GpuContextFixture();
        IGpuContext? made = null;
        var otherClass = new OtherClass(() => Volatile.Write(ref made, otherFixture.Context("cpu")));
        long[] sizes = [100, 400, 1_600];
        OtherClass? pending = null;
        var limit = TimeSpan.Zero;
        void Unit(long n)
        {
            if (pending is { } other)
            {
                pending = null;
                other.Go();
                // Spinning, on the vDSO's clock: no syscall of this thread's enters the phase.
                var waited = Stopwatch.StartNew();
                while (TraceGate.Waiting == 0 && Volatile.Read(ref made) is null && waited.Elapsed < limit)
                {
                    Thread.SpinWait(100);
                }
            }
            for (int i = 0; i < 5; i++)
            {
                Syscalls.Getpid();
            }
            for (long i = 0; i < n; i++)
            {
                Syscalls.Getppid();
                Syscalls.Getppid();
            }
        }
        // Once before any phase, with an idle stand-in and no wait, so the JIT compiles all of it here: each compiled
        // method costs mmap, mprotect and munmap (W^X), which would land in the first phase.
        var idle = new OtherClass(() => { });
        pending = idle;
        Unit(1);
        idle.Join();
        pending = otherClass;
        limit = TimeSpan.FromSeconds(30);

        var result = Scale.Measure("unit", Unit, sizes: sizes, repetitions: 3);
        otherClass.Join();

        int workload = result.Trace.Threads.Single(t => t.Origin == ThreadOrigin.Workload).Tid;
        foreach (long n in sizes)
        {
            for (int r = 0; r < 3; r++)
            {
                var phase = result.Trace.Phase($"n{n}-r{r}");
                phase.Calls("getppid").Value.Should().Be(2 * n);
                phase.Calls("getpid").Value.Should().Be(5);
                // The workload thread's own count may hold a wait for a garbage collection that another thread started.
                phase.SyscallCount().Value.Should().Be(phase.OnThreads(workload).SyscallCount().Value,
                    $"no other thread's syscall is this test's in phase n{n}-r{r}");
            }
        }
        result.Trace.Threads.Select(t => t.Tid).Should().NotIntersectWith(((IContextThreads)made!).ThreadIds, "the other class's context was made after the measurement");
    }
}
