using System.Diagnostics;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Processes;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>How a traced command ended is read from its wait status, for every source.</summary>
[Collection(SerialCollection.Name)]
public class CommandEndingTests
{
    public static TheoryData<CaptureSourceKind, string, int> DeadlySignals()
    {
        var data = new TheoryData<CaptureSourceKind, string, int>();
        var signals = new (string, int)[] { ("HUP", 1), ("INT", 2), ("QUIT", 3), ("TRAP", 5), ("ABRT", 6), ("USR1", 10), ("SEGV", 11), ("USR2", 12), ("PIPE", 13), ("ALRM", 14), ("TERM", 15), ("XCPU", 24), ("SYS", 31) };
        foreach (var source in new[] { CaptureSourceKind.Perf, CaptureSourceKind.Strace, CaptureSourceKind.Proc })
        {
            foreach (var (name, number) in signals)
            {
                data.Add(source, name, number);
            }
        }
        return data;
    }

    private static void RequireSource(CaptureSourceKind source)
    {
        if (source == CaptureSourceKind.Perf)
        {
            Requires.Perf();
        }
        else if (source == CaptureSourceKind.Strace)
        {
            Requires.Strace();
        }
    }

    [SkippableTheory]
    [MemberData(nameof(DeadlySignals))]
    public void A_command_killed_by_any_deadly_signal_is_incomplete_and_names_it(CaptureSourceKind source, string signal, int number)
    {
        RequireSource(source);

        var trace = CommandTracer.Run("/bin/sh", ["-c", $"kill -{signal} $$"], new CaptureOptions { Source = source });

        trace.Incomplete.Should().BeTrue();
        trace.Signal.Should().Be(number);
        trace.ExitCode.Should().Be(128 + number);
        trace.IncompleteReason.Should().Contain($"SIG{signal}");
    }

    [SkippableTheory]
    [InlineData(CaptureSourceKind.Perf)]
    [InlineData(CaptureSourceKind.Strace)]
    [InlineData(CaptureSourceKind.Proc)]
    public void A_plain_exit_137_is_an_exit_not_a_kill(CaptureSourceKind source)
    {
        RequireSource(source);

        var trace = CommandTracer.Run("/bin/sh", ["-c", "exit 137"], new CaptureOptions { Source = source });

        trace.ExitCode.Should().Be(137);
        trace.Signal.Should().BeNull();
        trace.Incomplete.Should().BeFalse();
    }

    [SkippableFact]
    public void Interrupting_an_strace_capture_stops_the_command_instead_of_leaving_it_running()
    {
        Requires.Strace();
        string marker = $"31.{Environment.ProcessId % 1000}7";
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var clock = Stopwatch.StartNew();
        var trace = CommandTracer.Run("/bin/sleep", [marker], new CaptureOptions { Source = CaptureSourceKind.Strace }, interrupt.Token);

        trace.Incomplete.Should().BeTrue();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the command gets SIGINT, then SIGKILL 5 s later at the latest");
        SleepersWith(marker).Should().BeEmpty("the traced command must not outlive its trace, reparented to pid 1");
    }

    [Fact]
    public void A_file_that_is_executable_but_no_program_is_refused_by_the_proc_source_with_a_reason()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gpuosspec-not-a-program-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, [0x7F, 0x00, 0x01, 0x02]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        try
        {
            var act = () => CommandTracer.Run(path, [], new CaptureOptions { Source = CaptureSourceKind.Proc });

            act.Should().Throw<CommandNotFoundException>().WithMessage("*cannot run it*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<int> SleepersWith(string marker)
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out int pid) && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
