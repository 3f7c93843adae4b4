using GpuOsSpec.Tracing.Sources.Strace;

namespace GpuOsSpec.Tracing.Tests.Strace;

/// <summary>Lines taken from real `strace -f -ttt -T -y -e raw=ioctl` captures (Data/*.txt), one shape each.</summary>
public class StraceLineParserTests
{
    [Fact]
    public void A_complete_call_gives_name_arguments_result_and_duration()
    {
        var line = StraceLineParser.Parse("4989  1795289131.465904 access(\"/etc/ld.so.preload\", R_OK) = -1 ENOENT (No such file or directory) <0.000010>");

        line.Kind.Should().Be(StraceLineKind.Complete);
        line.Tid.Should().Be(4989);
        line.Name.Should().Be("access");
        line.Result.Should().Be(-2, "a failed call is -errno, here ENOENT");
        line.DurationNs.Should().Be(10_000);
        line.RealtimeNs.Should().Be(1795289131_465904000);
    }

    [Theory]
    [InlineData("2379  1795287955.694739 openat(AT_FDCWD, \"/tmp/x) = 7\", O_RDONLY) = 3</tmp/x) = 7> <0.000016>")]
    [InlineData("2379  1795287955.694739 openat(AT_FDCWD, \"/tmp/x) = 7\", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000016>")]
    [InlineData("2379  1795287955.694739 read(5</tmp/x) = 7>, \"a\", 1) = 1 <0.000016>")]
    public void A_path_that_holds_a_result_look_alike_is_still_one_call(string text)
    {
        var line = StraceLineParser.Parse(text);

        line.Kind.Should().Be(StraceLineKind.Complete);
        line.DurationNs.Should().Be(16_000);
    }

    [Fact]
    public void An_annotated_number_is_still_a_number()
    {
        StraceLineParser.Number("0x47505343 /* PRIO_??? */").Should().Be(0x47505343);
    }

    [Fact]
    public void A_returned_fd_carries_the_path_strace_printed()
    {
        var line = StraceLineParser.Parse("2379  1795287955.694739 openat(AT_FDCWD</tmp/exp>, \"/dev/null\", O_RDONLY) = 3</dev/null> <0.000016>");

        line.Result.Should().Be(3);
        line.ResultPath.Should().Be("/dev/null");
    }

    [Fact]
    public void An_unfinished_call_keeps_its_arguments_so_far()
    {
        var line = StraceLineParser.Parse("4989  1795289131.467618 ioctl(0x3, 0xc020462a, 0 <unfinished ...>");

        line.Kind.Should().Be(StraceLineKind.Unfinished);
        line.Name.Should().Be("ioctl");
        line.Arguments.Should().Be("0x3, 0xc020462a, 0");
    }

    [Fact]
    public void A_resumed_call_gives_the_result()
    {
        var line = StraceLineParser.Parse("4989  1795289131.467638 <... ioctl resumed>) = -1 ENOTTY (Inappropriate ioctl for device) <0.000015>");

        line.Kind.Should().Be(StraceLineKind.Resumed);
        line.Name.Should().Be("ioctl");
        line.Result.Should().Be(-25);
    }

    [Fact]
    public void A_signal_line_is_recognised_with_its_signal()
    {
        var line = StraceLineParser.Parse("4989  1795289131.467818 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=4989, si_uid=0} ---");

        line.Kind.Should().Be(StraceLineKind.Signal);
        line.Name.Should().Be("SIGUSR1");
    }

    [Theory]
    [InlineData("5041  1795289135.474515 +++ killed by SIGKILL +++", null)]
    [InlineData("4989  1795289131.477600 +++ exited with 3 +++", 3L)]
    public void Exit_lines_are_recognised(string text, long? code)
    {
        var line = StraceLineParser.Parse(text);

        line.Kind.Should().Be(StraceLineKind.Exit);
        line.Result.Should().Be(code);
    }

    [Fact]
    public void A_call_cut_off_by_a_kill_has_no_result()
    {
        var line = StraceLineParser.Parse("5041  1795289134.954945 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=5, tv_nsec=0},  <unfinished ...>) = ?");

        line.Kind.Should().Be(StraceLineKind.Complete);
        line.Result.Should().BeNull();
    }

    [Fact]
    public void A_restarted_call_has_no_result()
    {
        var line = StraceLineParser.Parse("77  1795289131.000001 read(3</dev/nvidiactl>, 0x7ffd, 8) = ? ERESTARTSYS (To be restarted if SA_RESTART is set) <0.100000>");

        line.Kind.Should().Be(StraceLineKind.Complete);
        line.Result.Should().BeNull();
        line.DurationNs.Should().Be(100_000_000);
    }

    [Theory]
    [InlineData("4989289131.470872 <... getppid resumed>) = 4986 <")]
    [InlineData("4990  1795289131.467239 getppid(")]
    [InlineData("")]
    [InlineData("strace: Process 1234 attached")]
    [InlineData("99999999999999999999  1.0 getppid() = 1 <0.1>")]
    public void Truncated_or_garbled_lines_are_malformed_never_an_exception(string text)
    {
        StraceLineParser.Parse(text).Kind.Should().Be(StraceLineKind.Malformed);
    }

    [Fact]
    public void Arguments_split_at_top_level_commas_only()
    {
        var args = StraceLineParser.SplitArguments("0x3</dev/nvidiactl>, {a=1, b=\"x,y\"}, [1, 2], 0");

        args.Should().Equal("0x3</dev/nvidiactl>", "{a=1, b=\"x,y\"}", "[1, 2]", "0");
        StraceLineParser.Number(args[0]).Should().Be(3UL);
        StraceLineParser.FdPath("3</dev/nvidia0>").Should().Be("/dev/nvidia0");
    }
}
