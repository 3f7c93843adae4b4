using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Processes;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

[Collection(SerialCollection.Name)]
public class CommandTracerTests
{
    private static long Getppid(Trace trace) => trace.SyscallTotals.SingleOrDefault(t => t.Name == "getppid")?.Count ?? 0;

    [SkippableTheory]
    [InlineData(PerfMode.Hybrid)]
    [InlineData(PerfMode.Full)]
    public void A_storm_of_20000_getppid_is_counted_exactly_with_nothing_lost(PerfMode mode)
    {
        Requires.Perf();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["20000"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode });

        Getppid(trace).Should().Be(20_000);
        trace.LostEvents.Should().Be(0);
        trace.ExitCode.Should().Be(0);
        trace.Mode.Should().Be(mode == PerfMode.Full ? CaptureMode.Full : CaptureMode.Hybrid);
    }

    [SkippableFact]
    public void Threads_created_after_start_are_all_traced_and_listed()
    {
        Requires.Perf();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["40000", "8"], new CaptureOptions { Source = CaptureSourceKind.Perf });

        Getppid(trace).Should().Be(40_000);
        trace.Threads.Should().HaveCount(9);
        trace.Threads.Count(t => t.CreatedDuringCapture).Should().Be(8);
        trace.Threads.Should().OnlyContain(t => t.Name == trace.Threads[0].Name && t.Origin == ThreadOrigin.Workload, "new threads inherit their creator's name");
    }

    [SkippableFact]
    public void Full_mode_records_every_call_with_its_thread_and_duration()
    {
        Requires.Perf();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["1000", "4"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full });

        var calls = trace.Syscalls.Where(s => s.Name == "getppid").ToList();
        calls.Should().HaveCount(1000);
        calls.GroupBy(c => c.Tid).Should().HaveCount(4).And.OnlyContain(g => g.Count() == 250);
        calls.Should().OnlyContain(c => c.Finished && c.DurationNs >= 0);
    }

    [SkippableFact]
    public void Hybrid_mode_counts_failures_of_syscalls_it_does_not_record()
    {
        Requires.Perf();

        // sh's `cd` into a missing directory makes chdir fail once; chdir is outside the decode set.
        var trace = CommandTracer.Run("/bin/sh", ["-c", "cd /nonexistent-gpuosspec 2>/dev/null; exit 0"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid });

        var chdir = trace.SyscallTotals.Single(t => t.Name == "chdir");
        chdir.PerEvent.Should().BeFalse();
        chdir.Errors.Should().Be(1);
    }

    [SkippableFact]
    public void Hybrid_mode_counts_the_rt_sigreturn_of_each_handled_signal()
    {
        Requires.Perf();

        // Each signal bash handles ends with rt_sigreturn, whose sys_exit carries the restored registers' syscall
        // number (-1), never its own: counted at exit, it would be missed.
        var trace = CommandTracer.Run("/bin/bash", ["-c", "trap 'x=1' USR1; kill -USR1 $$; kill -USR1 $$; exit 0"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid });

        (trace.SyscallTotals.SingleOrDefault(t => t.Name == "rt_sigreturn")?.Count ?? 0).Should().Be(2, "bash handled two USR1 signals");
    }

    [SkippableFact]
    public void A_tiny_buffer_loses_events_and_says_so()
    {
        Requires.Perf();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["200000"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, BufferPages = 1 });

        trace.LostEvents.Should().BeGreaterThan(0);
        trace.IsInconclusive.Should().BeTrue();
        trace.InconclusiveReason.Should().Contain("lost").And.Contain("buffer");
    }

    [SkippableFact]
    public void Strace_counts_exactly_too()
    {
        Requires.Strace();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["2000", "2"], new CaptureOptions { Source = CaptureSourceKind.Strace });

        trace.Source.Should().Be(CaptureSourceKind.Strace);
        Getppid(trace).Should().Be(2000);
        trace.VoluntarySwitches.Source.Should().Be("rusage");
    }

    [Fact]
    public void The_counters_only_source_reports_syscalls_as_absent_not_zero()
    {
        var trace = CommandTracer.Run(NativePrograms.Storm, ["100"], new CaptureOptions { Source = CaptureSourceKind.Proc });

        trace.SyscallsMeasured.Should().BeFalse();
        trace.SyscallTotals.Should().BeEmpty();
        trace.MinorFaults.IsMeasured.Should().BeTrue();
        trace.Notes.Should().Contain(n => n.Contains("absent"));
    }

    [Fact]
    public void A_missing_command_is_named_before_anything_runs()
    {
        var act = () => CommandTracer.Run("./no-such-program-gpuosspec", [], new CaptureOptions());

        act.Should().Throw<CommandNotFoundException>().WithMessage("*no-such-program-gpuosspec: no such file*");
    }

    [Fact]
    public void A_file_that_is_not_executable_is_refused_with_the_fix()
    {
        string path = Path.GetTempFileName();
        try
        {
            var act = () => CommandTracer.Run(path, [], new CaptureOptions());

            act.Should().Throw<CommandNotFoundException>().WithMessage("*not executable*chmod +x*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void A_command_killed_by_a_signal_still_gives_its_trace_marked_incomplete()
    {
        Requires.Perf();

        var trace = CommandTracer.Run("/bin/sh", ["-c", "kill -KILL $$"], new CaptureOptions { Source = CaptureSourceKind.Perf });

        trace.Incomplete.Should().BeTrue();
        trace.IncompleteReason.Should().Contain("SIGKILL");
        trace.Signal.Should().Be(9);
        trace.SyscallTotals.Should().Contain(t => t.Name == "kill");
    }

    [SkippableFact]
    public void An_interrupted_trace_is_returned_marked_incomplete()
    {
        Requires.Perf();
        // Interrupted once the command sleeps, not after a fixed time: under load a 300 ms interrupt came before the
        // capture had started sleep, and its clock_nanosleep was never made. The deadline only ends a hung wait.
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var watch = Task.Run(() =>
        {
            while (!interrupt.IsCancellationRequested && !ChildSleeps("sleep"))
            {
                Thread.Sleep(5);
            }
            interrupt.Cancel();
        });

        var trace = CommandTracer.Run("/bin/sleep", ["30"], new CaptureOptions { Source = CaptureSourceKind.Perf }, interrupt.Token);

        trace.Incomplete.Should().BeTrue();
        trace.IncompleteReason.Should().Contain("interrupted");
        trace.SyscallTotals.Should().Contain(t => t.Name == "clock_nanosleep");
    }

    // A child of this process, exec'd as COMM, blocked (state S: for sleep, only in its nanosleep).
    private static bool ChildSleeps(string comm)
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int close = stat.LastIndexOf(')');
                string[] rest = stat[(close + 2)..].Split(' ');
                if (stat[(stat.IndexOf('(') + 1)..close] == comm && rest[0] == "S" && int.Parse(rest[1]) == Environment.ProcessId)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Not a process directory, or the process is gone.
            }
        }
        return false;
    }
}
