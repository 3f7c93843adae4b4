using System.Runtime.InteropServices;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Processes;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>On-CPU time per phase, from the threads' arrivals on and departures from their CPUs.</summary>
[Collection(SerialCollection.Name)]
public partial class OnCpuTimeTests
{
    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int Usleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int Gettid();

    [SkippableFact]
    public void A_phase_that_computes_shows_the_threads_own_cpu_time_and_a_phase_that_sleeps_shows_almost_none()
    {
        Requires.Perf();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });
        long cpuBefore = Clock.ThreadCpuNs();
        using (session.Phase("compute"))
        {
            long start = Clock.ThreadCpuNs();
            while (Clock.ThreadCpuNs() - start < 20_000_000)
            {
            }
        }
        long cpuSpent = Clock.ThreadCpuNs() - cpuBefore;
        using (session.Phase("sleep"))
        {
            Usleep(20_000);
        }
        var trace = session.Stop();

        int me = Gettid();
        var compute = trace.AllThreads().OnThreads(me).InPhase("compute").OnCpuNs();
        var sleep = trace.AllThreads().OnThreads(me).InPhase("sleep");
        trace.OnCpuRecorded.Should().BeTrue();
        // The kernel's own count of this thread's CPU time over the phase (read just outside it) is the reference.
        compute.Value!.Value.Should().BeCloseTo(cpuSpent, 2_000_000UL, "the switch records and the kernel's thread clock measure the same time");
        sleep.OnCpuNs().Value!.Value.Should().BeLessThan(sleep.WallNs() / 4, "a sleeping thread is off its CPU");
    }
}
