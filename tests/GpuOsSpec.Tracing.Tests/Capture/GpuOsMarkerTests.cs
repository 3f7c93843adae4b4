using GpuOs;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>gpuos markers read by the tracer through an entry uprobe: phases of any program, and no cost where nobody
/// traces.</summary>
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

    [SkippableTheory]
    [InlineData(PerfMode.Full)]
    [InlineData(PerfMode.Hybrid)]
    public void A_phase_open_at_an_exec_ends_there_and_the_new_image_starts_with_none_open(PerfMode mode)
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.ExecMarkers, [], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.ExitCode.Should().Be(0);
        trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).Select(p => p.Path)
            .Should().Equal(["first", "carried", "second"], "the images' sequence numbers both start at 1, and only time orders them");
        trace.FindPhase("first").Abandoned.Should().BeFalse("the program ended it");
        trace.FindPhase("second").Abandoned.Should().BeFalse();
        var carried = trace.FindPhase("carried");
        carried.Abandoned.Should().BeTrue("the image that opened it is gone");
        carried.EndNs.Should().BeLessThanOrEqualTo(trace.FindPhase("second").StartNs, "it ends at the exec, before the new image runs");
        trace.Notes.Should().Contain(n => n.Contains("\"carried\"") && n.Contains("exec"));
        trace.Notes.Should().NotContain(n => n.Contains("lost"));
        if (mode == PerfMode.Full)
        {
            Calls(trace.Phase("first"), "getppid").Should().Be(2);
            Calls(trace.Phase("second"), "getppid").Should().Be(3);
            Calls(trace.Phase("carried"), "getppid").Should().Be(1, "its getppid, and nothing of the new image");
        }
    }

    [SkippableFact]
    public void A_forked_child_ends_no_phase_of_its_parent_and_no_marker_is_called_lost()
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.ForkMarkers, [], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.ExitCode.Should().Be(0, "fork-markers exits 3 when its child did not exit 0 (a child killed at its first marker)");
        trace.Notes.Should().NotContain(n => n.Contains("lost"), "no event was lost");
        var work = trace.FindPhaseRuns("work");
        work.Should().ContainSingle("only the parent opened it").Which.Abandoned.Should().BeFalse();
        trace.FindPhase("child").Tid.Should().NotBe(work[0].Tid);
        Calls(trace.Phase("child"), "getppid").Should().Be(1);
        Calls(trace.Phase("work"), "getppid").Should().Be(3, "the parent's 2 and the child's 1, inside the parent's phase in time");
    }

    [SkippableTheory]
    [InlineData(PerfMode.Full)]
    [InlineData(PerfMode.Hybrid)]
    public void A_child_forked_without_the_atfork_handlers_keeps_its_markers(PerfMode mode)
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.PhasesProg, ["rawfork"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.ExitCode.Should().Be(0, "phases-prog exits 3 when its raw-forked child did not exit 0 (killed at its first marker)");
        trace.Notes.Should().Contain(n => n.Contains("gpuos markers: 5 read"), "3 markers before the raw fork and the child's 2");
    }

    [SkippableFact]
    public void Ends_an_older_library_sends_from_a_forked_child_are_named_not_counted_as_lost()
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.ForeignMarkers, ["fork"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Notes.Should().NotContain(n => n.Contains("lost"));
        trace.Notes.Should().Contain(n => n.Contains("2 gpuos end marker(s)") && n.Contains("forked") && n.Contains("inherited"));
        trace.Phases.Select(p => p.Path).Should().Equal("outer", "outer/work");
        trace.Phases.Should().OnlyContain(p => !p.Abandoned);
    }

    [SkippableFact]
    public void Names_from_an_older_library_never_merge_and_never_split_a_path()
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.ForeignMarkers, ["names"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Phases.Select(p => p.Path).Should().Equal(
            @"a\x2Fb", "a", "a/b", @"\xFF", @"\xFE", @"line\x0Abreak", new string('x', 62) + @"\xC3");
        Calls(trace.Phase(@"\xFF"), "getppid").Should().Be(1, "two invalid names are two phases, not one of 2 calls");
        Calls(trace.Phase(@"\xFE"), "getppid").Should().Be(1);
        var lines = TraceSummary.Render(trace).Split('\n');
        lines.Should().Contain(l => l.Contains(@"evil\x0Athread"), "the thread renamed itself with a newline");
        lines.Should().NotContain(l => l.StartsWith("thread ", StringComparison.Ordinal) || l.StartsWith("break ", StringComparison.Ordinal), "no name splits a row");
    }

    // Records that are no gpuos marker (another magic, an unknown kind or class) are refused by whichever reads the
    // markers, perf's path in full mode or the phase counter's program in hybrid mode, and counted as lost: a marker
    // that could not be read may have been a phase's begin or end.
    [SkippableTheory]
    [InlineData(PerfMode.Full)]
    [InlineData(PerfMode.Hybrid)]
    public void Records_that_are_no_gpuos_marker_are_refused_and_make_the_trace_inconclusive(PerfMode mode)
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.ForeignMarkers, ["bad"], options);

        trace.Mode.Should().Be(mode == PerfMode.Full ? CaptureMode.Full : CaptureMode.Hybrid);
        trace.ExitCode.Should().Be(0);
        trace.Phases.Select(p => p.Path).Should().Equal(["ok"], "none of the three records is a marker");
        trace.IsInconclusive.Should().BeTrue("three marker probe hits could not be read");
        trace.InconclusiveReason.Should().Contain("lost");
        trace.Notes.Should().Contain(n => n.Contains("3 marker probe hit(s) carried no readable"));
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

    [SkippableTheory]
    [InlineData(PerfMode.Full)]
    [InlineData(PerfMode.Hybrid)]
    public void A_probed_phase_holding_100000_markers_shows_zero_syscalls(PerfMode mode)
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode, GpuOsLibrary = NativePrograms.GpuOsLibrary, BufferPages = 16384 };

        var trace = CommandTracer.Run(NativePrograms.Markers, ["0", "100000"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Mode.Should().Be(mode == PerfMode.Full ? CaptureMode.Full : CaptureMode.Hybrid);
        trace.FindPhase("quiet").Origin.Should().Be(PhaseOrigin.GpuOsMarkers);
        trace.Phase("quiet").SyscallCount().Value.Should().Be(0, "a probe hit is a trap, not a syscall");
        trace.Notes.Should().Contain(n => n.Contains("100,004 read"), "every probe hit is read: 100,000 instants, quiet's begin and end, left-open's begin and its close at exit");
    }

    // Hybrid mode's markers are the phase counter's ring buffer records, read by no perf event: phases, classes, names
    // (the older library's too, which the library itself refuses) and their order come out as full mode's samples give
    // them.
    [SkippableTheory]
    [InlineData("markers", "4")]
    [InlineData("names", "")]
    [InlineData("exec", "")]
    public void Hybrid_mode_reads_the_markers_in_the_kernel_alone_and_builds_the_phases_full_mode_builds(string program, string arg)
    {
        Requires.Perf();
        var (path, args) = program switch
        {
            "markers" => (NativePrograms.Markers, new[] { arg }),
            "names" => (NativePrograms.ForeignMarkers, new[] { "names" }),
            _ => (NativePrograms.ExecMarkers, Array.Empty<string>()),
        };
        CaptureOptions Options(PerfMode mode) => new() { Source = CaptureSourceKind.Perf, Mode = mode, GpuOsLibrary = NativePrograms.GpuOsLibrary };
        static List<string> Phases(Trace trace) => trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers)
            .Select(p => $"{p.Path} class {p.Class} seq {p.BeginSequence} abandoned {p.Abandoned}").ToList();

        var full = CommandTracer.Run(path, args, Options(PerfMode.Full));
        var hybrid = CommandTracer.Run(path, args, Options(PerfMode.Hybrid));

        hybrid.IsInconclusive.Should().BeFalse(hybrid.InconclusiveReason);
        full.IsInconclusive.Should().BeFalse(full.InconclusiveReason);
        hybrid.Notes.Should().Contain(n => n.StartsWith("gpuos markers: ", StringComparison.Ordinal) && n.Contains("read by hybrid mode's phase counter"),
            "the counter's program is the markers' only reader in hybrid mode");
        hybrid.Notes.Should().NotContain(n => n.Contains("marker perf sample(s) were written"), "the program's 0 return keeps the kernel from writing the samples");
        Phases(hybrid).Should().NotBeEmpty().And.Equal(Phases(full));
        hybrid.Notes.Single(n => n.StartsWith("gpuos markers: ", StringComparison.Ordinal)).Split(" read ")[0]
            .Should().Be(full.Notes.Single(n => n.StartsWith("gpuos markers: ", StringComparison.Ordinal)).Split(" read ")[0], "both read every marker");
    }

    // The ring buffer is read only at the end here, so the 110,004 records of this run cannot all fit in its 16 MiB
    // (104,857 records): the markers that did not fit are lost, and a trace missing markers cannot pass.
    [SkippableFact]
    public void A_marker_the_kernel_could_not_record_makes_a_hybrid_trace_inconclusive()
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid, GpuOsLibrary = NativePrograms.GpuOsLibrary, PhaseEventsReadAtEndOnly = true };

        var trace = CommandTracer.Run(NativePrograms.Markers, ["0", "110000"], options);

        trace.Mode.Should().Be(CaptureMode.Hybrid);
        trace.Notes.Should().Contain(n => n.Contains("read by hybrid mode's phase counter"));
        trace.IsInconclusive.Should().BeTrue("markers were lost, so the phases may be wrong");
        trace.InconclusiveReason.Should().Contain("lost");
        trace.Notes.Should().Contain(n => n.Contains("marker, fork or exec record(s) were lost because the kernel's ring buffer was full") && n.Contains("counted as lost"));
    }

    // The marker program rides the marker probe's events, not a pid -1 probe, so the probe is placed only in the traced
    // processes: a process of the machine that maps the same library keeps gpuos_probe_marker's first instruction (the
    // 5-byte nop) and its markers never trap. Attached for every process (pid -1), the probe was placed in it too. The
    // control: the traced process's copy carries the probe (a breakpoint, or the call the kernel optimizes it into).
    [SkippableFact]
    public void A_hybrid_capture_places_the_marker_probe_only_in_the_traced_processes()
    {
        Requires.Perf();
        string library = NativePrograms.GpuOsLibrary;
        nint own = System.Runtime.InteropServices.NativeLibrary.GetExport(System.Runtime.InteropServices.NativeLibrary.Load(library), "gpuos_probe_marker");
        byte untouched = System.Runtime.InteropServices.Marshal.ReadByte(own);
        string release = Path.Combine(Path.GetTempPath(), $"gpuosspec-marker-wait-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid, GpuOsLibrary = library };
        byte traced, untraced;
        Trace trace;
        try
        {
            var tracing = Task.Run(() => CommandTracer.Run(NativePrograms.MarkerWait, [release], options));
            int pid = WaitForPid(release + ".pid", tracing);
            traced = ByteOf(pid, library, Sources.Perf.MarkerProbe.For(library).Offset);
            untraced = System.Runtime.InteropServices.Marshal.ReadByte(own);
            File.WriteAllText(release, "");
            trace = tracing.GetAwaiter().GetResult();
        }
        finally
        {
            File.Delete(release);
            File.Delete(release + ".pid");
        }

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.ExitCode.Should().Be(0, "marker-wait exits 1 when it was never released");
        trace.Notes.Should().Contain(n => n.StartsWith("gpuos markers: 1 read by hybrid mode's phase counter", StringComparison.Ordinal));
        traced.Should().NotBe(untouched, "the traced process must carry the probe for the untraced one's copy to mean anything");
        untraced.Should().Be(untouched, "a process outside the traced tree must not carry the probe (0x{0:x2} is its first byte unprobed)", untouched);
    }

    private static int WaitForPid(string file, Task tracing)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            if (tracing.IsCompleted || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                tracing.GetAwaiter().GetResult();
                throw new TimeoutException($"marker-wait never wrote {file}");
            }
            Thread.Sleep(1);
        }
        return int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // The first byte of the library's code at file offset OFFSET as process PID sees it (/proc/PID/mem).
    private static byte ByteOf(int pid, string library, ulong offset)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/maps"))
        {
            // "start-end perms offset dev inode path"
            string[] f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[5].Trim() != library || f[1][2] != 'x')
            {
                continue;
            }
            string[] range = f[0].Split('-');
            ulong start = Convert.ToUInt64(range[0], 16), end = Convert.ToUInt64(range[1], 16), at = Convert.ToUInt64(f[2], 16);
            if (offset >= at && offset < at + (end - start))
            {
                using var mem = new FileStream($"/proc/{pid}/mem", FileMode.Open, FileAccess.Read);
                mem.Seek((long)(start + offset - at), SeekOrigin.Begin);
                return (byte)mem.ReadByte();
            }
        }
        throw new InvalidOperationException($"process {pid} maps no executable part of {library} holding offset 0x{offset:x}");
    }

    // Where the phase counter cannot load, hybrid mode reads the markers as perf samples, as it did before the counter
    // read them: the phases are all there, and the syscalls outside the decode set are counted for the whole run only.
    [SkippableFact]
    public void Hybrid_mode_without_the_phase_counter_reads_the_markers_as_perf_samples()
    {
        Requires.Perf();
        var options = new CaptureOptions
        {
            Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid, GpuOsLibrary = NativePrograms.GpuOsLibrary, PhaseCounterObject = "absent.bpf.o",
        };

        var trace = CommandTracer.Run(NativePrograms.Markers, ["4"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Mode.Should().Be(CaptureMode.Hybrid);
        trace.PhaseSyscallsCounted.Should().BeFalse("the counter did not run");
        trace.Notes.Should().Contain(n => n.Contains("hybrid mode's phase counter did not run") && n.Contains("absent.bpf.o"));
        trace.Notes.Should().Contain(n => n.StartsWith("gpuos markers: 426 read as perf samples", StringComparison.Ordinal));
        trace.FindPhaseRuns("step/data").Should().HaveCount(4);
    }

    // Full mode leaves the optimized probe's uprobe syscalls out of its records in the kernel: the note must still
    // count every one, each hit after the first (the first traps, and the kernel then optimizes the probe).
    [SkippableFact]
    public void Full_mode_names_every_uprobe_syscall_the_marker_probe_made()
    {
        Requires.Perf();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary };

        var trace = CommandTracer.Run(NativePrograms.Markers, ["0", "1000"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Notes.Should().Contain(n => n.Contains("1,004 read"), "1,000 instants, quiet's begin and end, left-open's begin and its close at exit");
        trace.Notes.Should().Contain(n => n.StartsWith("1,003 uprobe syscall(s), made by the probes themselves"),
            "every hit but the first, which traps, enters through the uprobe syscall");
    }

    // In process, untraced by any probe: the phase is the tracer's own, the markers only run the library's code. (With
    // a probe, the .NET runtime's own suspension futexes can land in a long phase; the probed case is the command
    // above.)
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

        // The positive controls are this thread's own syscalls at the phase's edges: a conclusive trace saw this
        // thread.
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
