using GpuOsSpec.Assertions;
using GpuOsSpec.Fixtures;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Capture;
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
        IGpuContext other;
        using (CurrentTest.Enter("OtherClass.Test", "GpuOsSpec.Tests.Fixtures.OtherClass", []))
        {
            other = otherFixture.Context("cpu", SyncMode.Blocking);
        }
        using var stop = new CancellationTokenSource();
        // The other class's work: launches a millisecond apart, so its worker parks and is woken (futex) each time.
        int iterations = 0;
        // A thread of its own: the thread pool may be slow to give one while other tests hold its threads.
        var otherWork = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref iterations);
                other.DefaultStream.Launch(other.Kernels.Empty, LaunchShape.Single);
                other.DefaultStream.Synchronize();
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = "other-class" };
        otherWork.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref iterations) > 5, TimeSpan.FromSeconds(10));

        Trace trace;
        using (var scope = GpuSpec.Trace())
        {
            using (scope.Phase("steady"))
            {
                for (int i = 0; i < 100; i++)
                {
                    Syscalls.Getppid();
                }
                Thread.Sleep(50);
            }
            trace = scope.Stop();
        }
        stop.Cancel();
        otherWork.Join();

        var steady = trace.Phase("steady");
        steady.FromOrigins(ThreadOrigin.Foreign).SyscallCount().Value.Should().BeGreaterThan(0,
            "the other class's worker was busy during the phase and the capture saw it (else this test proves nothing)");
        trace.Threads.Should().Contain(t => t.Name.StartsWith("cpubackend", StringComparison.Ordinal) && t.Origin == ThreadOrigin.Foreign);
        // This thread's getppid calls and its sleep (one clock_nanosleep, with the runtime's few calls around it); the
        // other class's hundreds of futex calls would be far above 110.
        steady.Should().HaveAtMostSyscalls(110, "the other class's threads are not this test's");
    }
}
