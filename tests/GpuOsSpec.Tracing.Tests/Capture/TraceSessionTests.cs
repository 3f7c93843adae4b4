using System.Runtime.InteropServices;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Interop;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

[Collection(SerialCollection.Name)]
public partial class TraceSessionTests
{
    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int Getppid();

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int Usleep(uint microseconds);

    [SkippableFact]
    public void A_phase_with_n_syscalls_records_exactly_n_and_an_empty_phase_beside_it_records_none()
    {
        Requires.Perf();
        Getppid();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });

        using (session.Phase("empty"))
        {
        }
        using (session.Phase("storm"))
        {
            for (int i = 0; i < 500; i++)
            {
                Getppid();
            }
        }
        var trace = session.Stop();

        trace.LostEvents.Should().Be(0);
        trace.Phase("storm").CountByName().Should().Equal(new Dictionary<string, long> { ["getppid"] = 500 });
        trace.Phase("empty").SyscallCount().Value.Should().Be(0);
    }

    [SkippableFact]
    public void Nested_phases_get_paths_and_the_outer_phase_contains_the_inner()
    {
        Requires.Perf();
        Getppid();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });

        using (session.Phase("outer"))
        {
            Getppid();
            using (session.Phase("inner"))
            {
                Getppid();
                Getppid();
            }
        }
        var trace = session.Stop();

        Requires.Conclusive(trace);
        trace.Phases.Select(p => p.Path).Should().BeEquivalentTo("outer", "outer/inner");
        trace.Phase("outer/inner").SyscallCount().Value.Should().Be(2);
        trace.Phase("outer").SyscallCount().Value.Should().Be(3);
    }

    [SkippableFact]
    public void A_hundred_sleeps_of_one_millisecond_park_the_thread_a_hundred_times_through_perf()
    {
        Requires.Perf();
        Usleep(1);
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });

        using (session.Phase("sleeps"))
        {
            for (int i = 0; i < 100; i++)
            {
                Usleep(1000);
            }
        }
        var trace = session.Stop();

        Requires.Conclusive(trace);
        trace.Phase("sleeps").VoluntarySwitches().Value.Should().BeGreaterThanOrEqualTo(100);
        trace.Phase("sleeps").CountByName()["clock_nanosleep"].Should().Be(100);
    }

    [Fact]
    public void A_hundred_sleeps_of_one_millisecond_show_in_the_proc_counters()
    {
        Usleep(1);
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Proc });
        int tid = Libc.CurrentTid;

        for (int i = 0; i < 100; i++)
        {
            Usleep(1000);
        }
        var trace = session.Stop();

        trace.ThreadCounters.Single(c => c.Tid == tid).VoluntarySwitches.Should().BeGreaterThanOrEqualTo(100);
        trace.SyscallsMeasured.Should().BeFalse();
    }

    [SkippableFact]
    public void Threads_started_during_the_session_are_traced_and_labelled()
    {
        Requires.Perf();
        Getppid();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });
        int childTid = 0;

        using (session.Phase("spawn"))
        {
            var thread = new Thread(() =>
            {
                childTid = Libc.CurrentTid;
                for (int i = 0; i < 50; i++)
                {
                    Getppid();
                }
            });
            thread.Start();
            thread.Join();
        }
        var trace = session.Stop();

        Requires.Conclusive(trace);
        trace.Thread(childTid).Should().NotBeNull();
        trace.Thread(childTid)!.CreatedDuringCapture.Should().BeTrue();
        trace.AllThreads().OnThreads(childTid).Syscalls.Count(s => s.Name == "getppid").Should().Be(50);
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("spec-worker")]
    public void A_thread_the_workload_starts_is_a_workload_thread_named_or_not(string? name)
    {
        Requires.Perf();
        Getppid();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });
        int childTid = 0;

        using (session.Phase("spawn"))
        {
            var thread = new Thread(() =>
            {
                childTid = Libc.CurrentTid;
                for (int i = 0; i < 50; i++)
                {
                    Getppid();
                }
            });
            if (name is not null)
            {
                thread.Name = name;
            }
            thread.Start();
            thread.Join();
        }
        var trace = session.Stop();

        Requires.Conclusive(trace);
        trace.Thread(childTid)!.Origin.Should().Be(ThreadOrigin.Workload);
        trace.Phase("spawn").Calls("getppid").Value.Should().Be(50, "the default view holds the workload's own threads");
    }

    // Another test in the process creates a context while this capture runs: its thread, which never ran phase code,
    // starts the runtime's thread. The thread is named like a runtime's, and once counted in the default view.
    [SkippableFact]
    public void A_runtime_thread_that_another_thread_of_the_process_starts_during_the_capture_is_foreign()
    {
        Requires.Perf();
        Getppid();
        using var go = new SemaphoreSlim(0);
        int runtimeTid = 0;
        var other = new Thread(() =>
        {
            go.Wait();
            var runtime = new Thread(() =>
            {
                runtimeTid = Libc.CurrentTid;
                for (int i = 0; i < 50; i++)
                {
                    Getppid();
                }
            }) { Name = "cpubackend-99" };
            runtime.Start();
            runtime.Join();
        }) { Name = "other-test" };
        other.Start();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });

        using (session.Phase("work"))
        {
            go.Release();
            other.Join();
        }
        var trace = session.Stop();

        Requires.Conclusive(trace);
        trace.Thread(runtimeTid)!.Origin.Should().Be(ThreadOrigin.Foreign);
        trace.Phase("work").FromOrigins(ThreadOrigin.All).Calls("getppid").Value.Should().Be(50, "the capture saw the other test's runtime thread");
        trace.Phase("work").Calls("getppid").Value.Should().Be(0, "it is not this workload's");
    }

    // A context another user of the process was creating when the capture started has threads the caller learns of only
    // later: the registry is asked when the trace is built.
    [Fact]
    public void Runtime_threads_the_caller_learns_of_while_the_capture_runs_are_labelled()
    {
        var registry = new Registry();
        using var release = new ManualResetEventSlim();
        int foreignTid = 0, runtimeTid = 0;
        Thread Park(string name, Action<int> tid)
        {
            var thread = new Thread(() =>
            {
                tid(Libc.CurrentTid);
                release.Wait();
            }) { Name = name };
            thread.Start();
            return thread;
        }
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Proc, RuntimeThreads = registry });
        var threads = new[] { Park("cpubackend-98", t => foreignTid = t), Park("vendor-worker", t => runtimeTid = t) };
        SpinWait.SpinUntil(() => Volatile.Read(ref foreignTid) != 0 && Volatile.Read(ref runtimeTid) != 0);
        registry.Foreign.Add(foreignTid);
        registry.Runtime.Add(runtimeTid);

        var trace = session.Stop();
        release.Set();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        trace.Thread(foreignTid)!.Origin.Should().Be(ThreadOrigin.Foreign);
        trace.Thread(runtimeTid)!.Origin.Should().Be(ThreadOrigin.GpuRuntime);
    }

    private sealed class Registry : IRuntimeThreadRegistry
    {
        internal HashSet<int> Runtime { get; } = [];

        internal HashSet<int> Foreign { get; } = [];

        public IReadOnlySet<int> RuntimeTids() => Runtime;

        public IReadOnlySet<int> ForeignRuntimeTids() => Foreign;
    }

    [SkippableFact]
    public void The_tracer_thread_is_never_traced()
    {
        Requires.Perf();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });
        Thread.Sleep(50);
        var trace = session.Stop();

        var tracer = trace.Threads.Where(t => t.Origin == ThreadOrigin.Tracer).Select(t => t.Tid).ToHashSet();
        tracer.Should().NotBeEmpty("the perf control thread is listed as the tracer");
        trace.Syscalls.Should().NotContain(s => tracer.Contains(s.Tid));
    }

    [SkippableFact]
    public void An_unknown_phase_name_is_a_clear_error_listing_the_phases()
    {
        Requires.Perf();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf });
        using (session.Phase("setup"))
        {
        }
        var trace = session.Stop();

        var act = () => trace.Phase("steady");

        act.Should().Throw<ArgumentException>().WithMessage("No phase named \"steady\"; the trace has: setup.*");
    }

    [SkippableFact]
    public void Runtime_events_come_from_eventpipe_when_asked()
    {
        Requires.Perf();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf, DotNetRuntimeEvents = true });
        using (session.Phase("gc"))
        {
            GC.Collect();
        }
        var trace = session.Stop();

        trace.RuntimeEventsRecorded.Should().BeTrue();
        trace.Phase("gc").RuntimeEvents.Should().Contain(e => e.Kind == RuntimeEventKind.GarbageCollection);
    }

    [SkippableFact]
    public void The_strace_fallback_attaches_to_this_process_and_counts_a_phase_exactly()
    {
        Requires.Strace();
        Getppid();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Strace });

        using (session.Phase("storm"))
        {
            for (int i = 0; i < 200; i++)
            {
                Getppid();
            }
        }
        var trace = session.Stop();

        trace.Source.Should().Be(CaptureSourceKind.Strace);
        trace.Phase("storm").CountByName()["getppid"].Should().Be(200);
    }
}
