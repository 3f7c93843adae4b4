using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Platform.Syscalls;
using GpuOsSpec.Tracing.Sources.Strace;

namespace GpuOsSpec.Tracing.Tests.Strace;

/// <summary>Whole real captures: 3 threads x 200 getppid, a signal, an ioctl on /dev/null, a failed open.</summary>
public class StraceCaptureTests
{
    private static StraceCapture Read(string file)
    {
        var capture = new StraceCapture();
        capture.ReadFile(Path.Combine(Support.NativePrograms.TestDirectory, "Data", file), 4989, 0);
        return capture;
    }

    [Fact]
    public void Unfinished_and_resumed_halves_pair_into_exactly_the_calls_made()
    {
        var capture = Read("strace-threads-signal.txt");

        capture.Syscalls.Count(s => s.Number == SyscallTable.X64.Number("getppid")).Should().Be(600);
        capture.ResumedWithoutStart.Should().Be(0);
        capture.LineCounts[StraceLineKind.Malformed].Should().Be(0);
    }

    [Fact]
    public void Signals_are_counted_and_not_taken_for_calls()
    {
        var capture = Read("strace-threads-signal.txt");

        capture.LineCounts[StraceLineKind.Signal].Should().Be(1);
        capture.Syscalls.Should().NotContain(s => s.Number < 0, "every parsed name is a real syscall");
    }

    [Fact]
    public void The_ioctl_fd_resolves_through_the_openat_result()
    {
        var capture = Read("strace-threads-signal.txt");
        var ioctl = capture.Syscalls.Single(s => s.Number == 16);

        capture.Fds.PathAt(4989, (long)ioctl.Args.A0, ioctl.EnterNs).Should().Be("/dev/null");
        ioctl.Args.A1.Should().Be(0xc020462aUL);
        ioctl.Result.Should().Be(-25);
    }

    [Fact]
    public void A_truncated_capture_keeps_what_it_has_and_counts_the_cut_line()
    {
        var capture = Read("strace-truncated.txt");

        capture.LineCounts[StraceLineKind.Malformed].Should().Be(1);
        capture.MalformedSamples.Should().ContainSingle();
        capture.Syscalls.Should().NotBeEmpty();
    }

    [Fact]
    public void A_killed_process_leaves_its_last_call_unfinished()
    {
        var capture = Read("strace-killed.txt");

        capture.LineCounts[StraceLineKind.Exit].Should().Be(1);
        capture.Syscalls.Last().ExitNs.Should().Be(-1, "clock_nanosleep never returned");
    }
}
