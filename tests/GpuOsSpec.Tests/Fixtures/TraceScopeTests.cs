using GpuOsSpec.Assertions;
using GpuOsSpec.Capture;
using GpuOsSpec.Fixtures;
using GpuOsSpec.Reports;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Xunit;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Fixtures;

public class TraceScopeTests
{
    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void A_phase_records_exactly_the_syscalls_made_in_it_and_the_trace_is_saved()
    {
        Syscalls.Getppid();
        Trace trace;
        using (var scope = GpuSpec.Trace())
        {
            using (scope.Phase("steady"))
            {
                for (int i = 0; i < 100; i++)
                {
                    Syscalls.Getppid();
                }
            }
            trace = scope.Stop();
        }

        trace.Phase("steady").Should().HaveSyscallCount(100).And.MakeOnlySyscalls("getppid");
        var artifacts = ResultsFolder.ArtifactsOf(trace);
        artifacts.Should().NotBeNull("the scope saves the trace when it stops");
        File.Exists(artifacts!.TraceJson).Should().BeTrue();
        File.Exists(artifacts.Perfetto).Should().BeTrue();
        SpecResultsRecorder.Entries.Should().Contain(e => e.Spec == nameof(A_phase_records_exactly_the_syscalls_made_in_it_and_the_trace_is_saved));
    }

    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void Lost_events_make_the_verdict_inconclusive_never_a_pass()
    {
        Trace trace;
        using (var scope = GpuSpec.Trace(options: new CaptureOptions { Source = CaptureSourceKind.Perf, BufferPages = 1 }))
        {
            using (scope.Phase("storm"))
            {
                for (int i = 0; i < 200_000; i++)
                {
                    Syscalls.Getppid();
                }
            }
            trace = scope.Stop();
        }

        var act = () => trace.Phase("storm").Should().HaveAtLeastCallsTo("getppid", 1);

        trace.LostEvents.Should().BeGreaterThan(0, "a one-page buffer cannot hold 400,000 records");
        act.Should().Throw<XunitException>().WithMessage("*but the trace is inconclusive: * kernel events were lost (a ring buffer overflowed); raise the buffer size*");
    }

    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void An_exception_inside_a_phase_still_stops_and_saves_the_trace()
    {
        TraceScope? kept = null;
        var act = () =>
        {
            using var scope = GpuSpec.Trace();
            kept = scope;
            using (scope.Phase("failing"))
            {
                Syscalls.Getpid();
                throw new InvalidOperationException("vendor call failed");
            }
        };

        act.Should().Throw<InvalidOperationException>();
        kept!.Artifacts.Should().NotBeNull();
        kept.Trace.Phase("failing").Should().HaveAtLeastCallsTo("getpid", 1);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone: floods the kernel while other tests trace";
}

/// <summary>Runs alone: its untraced neighbour floods every trace in the process with syscalls while it runs.</summary>
[Collection(AloneCollection.Name)]
public class ParallelAttributionTests
{
    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public async Task Traced_specs_in_parallel_are_never_attributed_each_others_syscalls()
    {
        Syscalls.Getppid();
        Syscalls.Getpid();
        Syscalls.Geteuid();
        using var stop = new CancellationTokenSource();
        long neighbourCalls = 0;
        // An untraced neighbour hammers the kernel the whole time on its own thread.
        var neighbour = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Syscalls.Geteuid();
                Interlocked.Increment(ref neighbourCalls);
            }
        }, TaskCreationOptions.LongRunning);

        Trace Spec(Func<int> syscall, int count, string label) => Task.Factory.StartNew(() =>
        {
            using var scope = GpuSpec.Trace(label);
            using (scope.Phase("work"))
            {
                for (int i = 0; i < count; i++)
                {
                    syscall();
                }
            }
            // On a loaded 2-core machine the neighbour may not run at all in a short window: outside the phase, wait
            // until it has made calls while this capture runs, so "seen but not attributed" is always tested.
            long seen = Interlocked.Read(ref neighbourCalls);
            var deadline = System.Diagnostics.Stopwatch.StartNew();
            while (Interlocked.Read(ref neighbourCalls) < seen + 10 && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(1);
            }
            return scope.Stop();
        }, TaskCreationOptions.LongRunning).Result;

        var a = Task.Run(() => Spec(Syscalls.Getppid, 300, "a"));
        var b = Task.Run(() => Spec(Syscalls.Getpid, 200, "b"));
        var traces = await Task.WhenAll(a, b);
        stop.Cancel();
        await neighbour;

        traces[0].Phase("work").Should().MakeOnlySyscalls("getppid").And.HaveSyscallCount(300);
        traces[1].Phase("work").Should().MakeOnlySyscalls("getpid").And.HaveSyscallCount(200);
        traces.Sum(t => t.AllThreads().Syscalls.Count(s => s.Name == "geteuid")).Should().BeGreaterThan(0, "the neighbour was seen, just not attributed");
    }
}
