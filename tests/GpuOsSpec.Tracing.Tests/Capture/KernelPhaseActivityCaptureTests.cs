using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>The default (hybrid) mode's per-phase switches and faults from the kernel's phase counter (gos_phase): in
/// the same run they equal the switch and fault events hybrid mode records, and without fault events they are a
/// phase's faults.</summary>
[Collection(SerialCollection.Name)]
public class KernelPhaseActivityCaptureTests
{
    private static Trace Hybrid(string mode, bool faultEvents = true, bool faultEventsWhereCounted = true, bool markers = true) =>
        CommandTracer.Run(NativePrograms.PhasesProg, mode.Split(' '), new CaptureOptions
        {
            Source = CaptureSourceKind.Perf,
            Mode = PerfMode.Hybrid,
            GpuOsLibrary = markers ? NativePrograms.GpuOsLibrary : null,
            RecordPageFaults = faultEvents,
            FaultEventsWhereCounted = faultEventsWhereCounted,
        });

    // A phase path's kernel counts, summed over the threads the view holds, as TraceView sums them.
    private static (long? Voluntary, long? Involuntary, long? Minor, long? Major) Kernel(Trace trace, string path)
    {
        var runs = trace.Phase(path).PhaseRuns.ToHashSet(ReferenceEqualityComparer.Instance);
        var tids = trace.Threads.Where(t => (t.Origin & ThreadOrigin.Default) != 0).Select(t => t.Tid).ToHashSet();
        var counts = trace.PhaseActivityCounts.Where(c => tids.Contains(c.Tid) && c.Runs.Any(runs.Contains)).ToList();
        return (counts.Sum(c => c.VoluntarySwitches), counts.Sum(c => c.InvoluntarySwitches), counts.Sum(c => c.MinorFaults), counts.Sum(c => c.MajorFaults));
    }

    [SkippableTheory]
    [InlineData("known 1000")]
    [InlineData("repeat")]
    [InlineData("thread")]
    [InlineData("fork")]
    [InlineData("exec")]
    [InlineData("killed")]
    [InlineData("straddle")]
    public void In_one_hybrid_run_each_phases_kernel_counted_switches_and_faults_equal_its_switch_and_fault_events(string mode)
    {
        Requires.PhaseCounter();

        var trace = Hybrid(mode);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.PhaseActivityCounted.Should().BeTrue(trace.PhaseActivityUnmeasured);
        var paths = trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).Select(p => p.Path).Distinct().ToList();
        paths.Should().NotBeEmpty();
        long faulted = 0;
        foreach (string path in paths)
        {
            var view = trace.Phase(path);
            var events = (view.VoluntarySwitches().Value, view.InvoluntarySwitches().Value, view.MinorFaults().Value, view.MajorFaults().Value);
            Kernel(trace, path).Should().Be(events, $"phase {path}'s switches and faults counted in the kernel equal the events (voluntary, involuntary, minor, major)");
            faulted += events.Item3!.Value;
        }
        faulted.Should().BeGreaterThan(0, "not a pass on nothing: the phases fault in pages (their first getppid's stack and code at least)");
    }

    [SkippableFact]
    public void Without_fault_events_a_hybrid_traces_phases_have_their_faults_from_the_kernel()
    {
        Requires.PhaseCounter();

        var trace = Hybrid("fork", faultEvents: false);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.PageFaultEventsRecorded.Should().BeFalse();
        trace.PhaseActivityCounted.Should().BeTrue(trace.PhaseActivityUnmeasured);
        var minor = trace.Phase("work").MinorFaults();
        minor.IsMeasured.Should().BeTrue(minor.Source);
        minor.Value.Should().BeGreaterThan(0, "the forked child's first writes fault in its copies of the parent's pages");
        minor.Source.Should().Contain("phase counter");
        trace.Phase("child").MajorFaults().IsMeasured.Should().BeTrue();
    }

    [SkippableFact]
    public void Where_the_counter_counts_faults_and_no_events_are_asked_beside_it_every_fault_figure_is_the_kernels_and_none_an_event()
    {
        Requires.PhaseCounter();

        var trace = Hybrid("fork", faultEventsWhereCounted: false);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.PageFaultEventsRecorded.Should().BeFalse();
        trace.PageFaults.Should().BeEmpty();
        trace.PhaseActivityCounted.Should().BeTrue(trace.PhaseActivityUnmeasured);
        trace.MinorFaults.Source.Should().Be("perf (the kernel's phase counter)");
        trace.MinorFaults.Value.Should().Be(trace.PhaseActivityCounts.Sum(c => c.MinorFaults)).And.BeGreaterThan(0, "the program and its child fault in pages");
        trace.Phase("work").MinorFaults().Value.Should().BeGreaterThan(0, "the forked child's first writes fault in its copies of the parent's pages");
        trace.Notes.Should().Contain(n => n.StartsWith("page faults were counted per thread and phase run in the kernel by hybrid mode's phase counter, not recorded as events", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Where_no_counter_runs_faults_stay_events_though_no_events_are_asked_beside_one()
    {
        Requires.PhaseCounter();

        var trace = Hybrid("fork", faultEventsWhereCounted: false, markers: false);

        trace.PageFaultEventsRecorded.Should().BeTrue("without the gpuos markers no phase counter runs to count them");
        trace.MinorFaults.Source.Should().Be("perf");
    }
}
