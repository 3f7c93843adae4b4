using System.Diagnostics;
using System.Runtime.InteropServices;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Interop;
using GpuOsSpec.Tracing.Platform.Syscalls;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>
/// The capture never passes on nothing: other tracers cannot blind it silently, it blinds no one, and losses the kernel
/// never reported still make a trace inconclusive.
/// </summary>
[Collection(SerialCollection.Name)]
public partial class HonestCaptureTests
{
    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int Getppid();

    private static long Calls(Trace trace, string name) => trace.SyscallTotals.SingleOrDefault(t => t.Name == name)?.Count ?? 0;

    private static Trace TraceInProcess(int getppids, bool pairInUserSpace = false)
    {
        Getppid();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf, PairSyscallsInUserSpace = pairInUserSpace });
        using (session.Phase("storm"))
        {
            for (int i = 0; i < getppids; i++)
            {
                Getppid();
            }
        }
        return session.Stop();
    }

    // A hybrid command trace of `sleep`, running in the background; returns once its eBPF programs are attached.
    private static Task<Trace> HybridInBackground(string seconds)
    {
        var task = Task.Run(() => CommandTracer.Run("/bin/sleep", [seconds], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid }));
        var deadline = Stopwatch.StartNew();
        // The programs are named gos_enter/gos_exit; once bpftool-less, /proc shows our process holding bpf-prog fds.
        while (deadline.Elapsed < TimeSpan.FromSeconds(10) && !HoldsBpfProgram())
        {
            Thread.Sleep(20);
        }
        return task;
    }

    private static bool HoldsBpfProgram()
    {
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == "anon_inode:bpf-prog")
                {
                    return true;
                }
            }
            catch (IOException)
            {
            }
        }
        return false;
    }

    [SkippableFact]
    public void An_in_process_capture_stays_exact_while_a_hybrid_trace_runs_beside_it()
    {
        Requires.Perf();
        var hybrid = HybridInBackground("2");

        var trace = TraceInProcess(2_000);

        trace.Phase("storm").Calls("getppid").Value.Should().Be(2_000, "our eBPF programs must not drop anyone's samples");
        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Control!.Passed.Should().BeTrue();
        hybrid.Result.IsInconclusive.Should().BeFalse(hybrid.Result.InconclusiveReason);
    }

    [SkippableFact]
    public void A_full_mode_command_trace_stays_exact_while_a_hybrid_trace_runs_beside_it()
    {
        Requires.Perf();
        var hybrid = HybridInBackground("2");

        var full = CommandTracer.Run(NativePrograms.Storm, ["20000"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full });

        Calls(full, "getppid").Should().Be(20_000);
        full.IsInconclusive.Should().BeFalse(full.InconclusiveReason);
        hybrid.Result.IsInconclusive.Should().BeFalse(hybrid.Result.InconclusiveReason);
    }

    [SkippableFact]
    public void Perf_stat_counts_exactly_while_a_hybrid_trace_runs()
    {
        Requires.Perf();
        string? perf = new[] { "/usr/bin/perf", "/usr/local/bin/perf" }.FirstOrDefault(File.Exists);
        Skip.If(perf is null, "perf(1) is not installed (apt-get install linux-perf); the in-process and full-mode tests cover the same cause.");
        var hybrid = HybridInBackground("2");

        var psi = new ProcessStartInfo(perf!) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "stat", "-x,", "-e", "raw_syscalls:sys_enter", "--", NativePrograms.Storm, "100000" })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        string output = p.StandardError.ReadToEnd();
        p.WaitForExit();
        hybrid.Wait();

        long counted = long.Parse(output.Split('\n').First(l => l.Contains("raw_syscalls:sys_enter", StringComparison.Ordinal)).Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        counted.Should().BeGreaterThanOrEqualTo(100_000, "the storm alone makes 100,000 syscalls: perf stat output was {0}", output);
    }

    [SkippableFact]
    public void A_foreign_ebpf_program_that_drops_samples_makes_an_in_process_capture_inconclusive_not_empty()
    {
        Requires.Perf();
        using var blinder = new Blinder();

        // Perf's sys_enter and sys_exit samples, as full mode pairs them where eBPF cannot join the calls.
        var trace = TraceInProcess(2_000, pairInUserSpace: true);

        trace.Phase("storm").Calls("getppid").Value.Should().Be(0, "the blinder drops every sample, which is what the control must catch");
        trace.IsInconclusive.Should().BeTrue();
        trace.Control!.Passed.Should().BeFalse();
        trace.InconclusiveReason.Should().Contain("positive controls").And.Contain("eBPF");
    }

    // The positive controls come at the start, the end and each phase boundary: a blinder that comes and goes between
    // two of them drops samples no control misses, and the count falls short with nothing lost (a bench saw 1,803,700
    // of 2,000,000). The capture drains here, inside the window, so the blinder is attached when it looks.
    [SkippableFact]
    public void A_foreign_ebpf_program_that_drops_paired_samples_for_part_of_a_capture_makes_it_inconclusive()
    {
        Requires.Perf();
        Getppid();
        using var capture = new PerfCapture(PerfMode.Full, 1024, recordFaults: false, enableOnExec: false, pairInUserSpace: true);
        capture.Attach(Libc.CurrentTid);
        capture.Enable();

        for (int i = 0; i < 1_000; i++)
        {
            Getppid();
        }
        using (new Blinder())
        {
            for (int i = 0; i < 1_000; i++)
            {
                Getppid();
            }
            capture.DrainAll();
        }
        for (int i = 0; i < 1_000; i++)
        {
            Getppid();
        }
        capture.Disable();
        capture.DrainAll();
        capture.FinishSyscalls();

        int getppid = SyscallTable.Current.Number("getppid")!.Value;
        capture.Collector.Syscalls.Count(s => s.Number == getppid).Should().BeLessThan(3_000, "the blinder dropped the samples of the calls it saw");
        capture.Collector.Lost.Should().Be(0, "the kernel reports no loss for samples a program dropped");
        capture.UnreportedLoss().Should().Contain("raw_syscalls:sys_enter").And.Contain("foreign eBPF program");
    }

    [SkippableFact]
    public void A_foreign_ebpf_program_that_drops_samples_makes_a_full_mode_command_trace_inconclusive()
    {
        Requires.Perf();
        using var blinder = new Blinder();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["2000"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, PairSyscallsInUserSpace = true });

        trace.IsInconclusive.Should().BeTrue();
        trace.InconclusiveReason.Should().Contain("execve");
    }

    [SkippableFact]
    public void A_full_mode_command_trace_joined_in_the_kernel_counts_exactly_beside_a_foreign_program_that_drops_samples()
    {
        Requires.Hybrid();
        using var blinder = new Blinder();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["20000"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full });

        // Every program attached to a tracepoint runs, whatever another returns; the records go to our own ring buffer.
        trace.Notes.Should().Contain(n => n.Contains("the kernel joins each syscall's entry and exit"));
        Calls(trace, "getppid").Should().Be(20_000);
        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
    }

    [SkippableFact]
    public void An_in_process_capture_joined_in_the_kernel_counts_exactly_beside_a_foreign_program_that_drops_samples()
    {
        Requires.Hybrid();
        using var blinder = new Blinder();

        var trace = TraceInProcess(2_000);

        trace.Phase("storm").Calls("getppid").Value.Should().Be(2_000);
        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Control!.Passed.Should().BeTrue();
    }

    [SkippableFact]
    public void A_hybrid_command_trace_counts_exactly_even_beside_a_foreign_program_that_drops_samples()
    {
        Requires.Perf();
        using var blinder = new Blinder();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["20000"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid });

        // Every program attached to a tracepoint runs, whatever another returns; our records go to our own buffers.
        Calls(trace, "getppid").Should().Be(20_000);
        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
    }

    [SkippableFact]
    public void Every_control_of_an_in_process_capture_arrives_and_none_is_counted()
    {
        Requires.Perf();

        var trace = TraceInProcess(10);

        trace.Control.Should().Be(new PositiveControl(4, 4, trace.Control!.What), "start, phase begin, phase end and stop each make one");
        trace.Syscalls.Should().NotContain(s => s.Name == "getpriority");
        trace.Phase("storm").SyscallCount().Value.Should().Be(10);
    }

    [SkippableFact]
    public void A_full_mode_storm_that_overflows_a_small_buffer_is_inconclusive_and_never_silently_short()
    {
        Requires.Perf();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["300000"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, BufferPages = 2 });

        Calls(trace, "getppid").Should().BeLessThan(300_000, "2 pages cannot hold a 300,000-call storm");
        trace.IsInconclusive.Should().BeTrue("a short count must never be conclusive");
        (trace.LostEvents > 0 || trace.UnreportedLoss is not null).Should().BeTrue();
    }

    [SkippableFact]
    public void Opens_of_a_path_holding_a_result_look_alike_are_counted_by_strace_and_the_trace_stays_conclusive()
    {
        Requires.Strace();
        string dir = Directory.CreateTempSubdirectory("gpuosspec-paths").FullName;
        File.WriteAllText(Path.Combine(dir, "x) = 7"), "");
        try
        {
            var options = new CaptureOptions { Source = CaptureSourceKind.Strace };
            var baseline = CommandTracer.Run("/bin/sh", ["-c", ":"], options);
            var trace = CommandTracer.Run("/bin/sh", ["-c", "for i in 1 2 3 4 5; do : < \"$0/x) = 7\"; done", dir], options);

            (Calls(trace, "openat") - Calls(baseline, "openat")).Should().Be(5, "each redirect opens the file once");
            trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [SkippableFact]
    public void An_in_process_strace_capture_sees_its_controls_and_counts_none_of_them()
    {
        Requires.Strace();
        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Strace });
        using (session.Phase("storm"))
        {
            for (int i = 0; i < 20; i++)
            {
                Getppid();
            }
        }
        var trace = session.Stop();

        trace.Control!.Passed.Should().BeTrue($"{trace.Control}");
        trace.Phase("storm").Calls("getppid").Value.Should().Be(20);
        trace.Syscalls.Should().NotContain(s => s.Name == "getpriority");
    }
}
