using GpuOs;
using GpuOsSpec.Tracing.Capture;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Targets;
using GpuOsSpec.Tracing.Tests.Support;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>gpuos markers read by the tracer through an entry uprobe: phases of any program, and no cost where nobody traces.</summary>
[Collection(SerialCollection.Name)]
public class GpuOsMarkerTests
{
    private static long Calls(TraceView view, string name) => view.Calls(name).Value ?? -1;

    [SkippableFact]
    public void A_programs_gpuos_phases_become_the_traces_phases_with_exact_figures()
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.Markers, ["4"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).Select(p => p.Path).Distinct()
            .Should().BeEquivalentTo("step", "step/data", "step/forward", "left-open");
        trace.FindPhaseRuns("step/data").Should().HaveCount(4);
        Calls(trace.Phase("step/data"), "getppid").Should().Be(8, "2 getppid in each of 4 runs");
        Calls(trace.Phase("step/forward"), "getppid").Should().Be(20, "5 getppid in each of 4 runs, and 400 markers that are no syscall");
        trace.Phase("step/forward").SyscallCount().Value.Should().Be(20);
        trace.FindPhase("left-open").Abandoned.Should().BeTrue("the program exited with it open");
        trace.Notes.Should().Contain(n => n.Contains("426 read"), "4 x (6 phase markers + 100 instants) + 1 begin + 1 closed by the library at exit");
    }

    [SkippableFact]
    public void Entry_probes_cause_no_uretprobe_syscall()
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.Markers, ["20"], options);

        trace.Phases.Should().Contain(p => p.Origin == PhaseOrigin.GpuOsMarkers, "the probe must have fired for this to mean anything");
        // Since Linux 6.11 a uretprobe on x86-64 returns through syscall 467; gpuos uses entry probes only.
        trace.AllThreads().Calls("uretprobe").Value.Should().Be(0);
        trace.AllThreads().SyscallCount().Value.Should().BeLessThan(2_000, "2,000+ markers must not add a syscall each");
    }

    [SkippableFact]
    public void A_probed_phase_holding_100000_markers_shows_zero_syscalls()
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary, BufferPages = 16384 };

        var trace = CommandTracer.Run(NativePrograms.Markers, ["0", "100000"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.FindPhase("quiet").Origin.Should().Be(PhaseOrigin.GpuOsMarkers);
        trace.Phase("quiet").SyscallCount().Value.Should().Be(0, "a uprobe hit is a trap, not a syscall");
        trace.Notes.Should().Contain(n => n.Contains("100,004 read"), "every probe hit is read: 100,000 instants, quiet's begin and end, left-open's begin and its close at exit");
    }

    // In process, untraced by any probe: the phase is the tracer's own, the markers only run the library's code. (With a
    // probe, the .NET runtime's own suspension futexes can land in a long phase; the probed case is the command above.)
    [SkippableFact]
    public void A_phase_holding_100000_unprobed_markers_shows_zero_syscalls_on_the_marking_thread()
    {
        Requires.Perf();
        GpuOsLibrary.Available.Should().BeTrue(GpuOsLibrary.UnavailableReason);
        MarkMany(1_000); // compiles the loop and binds the entry point before the capture
        int tid = TestThreadTid();

        Trace trace;
        using (var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf }))
        {
            using (session.Phase("markers"))
            {
                MarkMany(100_000);
            }
            trace = session.Stop();
        }

        // The positive controls are this thread's own syscalls at the phase's edges: a conclusive trace saw this thread.
        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Thread(tid).Should().NotBeNull("the marking thread must be traced for its zero to mean anything");
        var phase = trace.Phase("markers").FromOrigins(ThreadOrigin.All).OnThreads(tid);
        phase.SyscallCount().Value.Should().Be(0,
            $"100,000 markers make no syscall (seen: {string.Join(", ", phase.Syscalls.GroupBy(c => c.Name).Select(g => $"{g.Key} {g.Count()}"))})");
    }

    // Fully optimized at its first JIT: a tiered loop would be recompiled mid-phase (OSR), and the JIT's mprotect and
    // mmap would land in the phase, which is the runtime's cost, not the markers'.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void MarkMany(int count)
    {
        for (int i = 0; i < count; i++)
        {
            GpuOsLibrary.Mark("m");
        }
    }

    private static int TestThreadTid() => int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
