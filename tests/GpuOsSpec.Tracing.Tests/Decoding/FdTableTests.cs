using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Decoding;

/// <summary>An fd names the file it had when the call was made, or nothing; never a file opened later on the same
/// number.</summary>
public class FdTableTests
{
    [Fact]
    public void A_path_read_after_the_fd_was_closed_and_reused_names_nothing_instead_of_the_later_file()
    {
        var fds = new FdTable();
        // fd 3 held /a from 100 to 200, then /b from 300 to 400; both were named by reading /proc at 1000, too late.
        fds.Set(1, 3, "/c", fromNs: 100, readNs: 1000);
        fds.Closed(1, 3, 200);
        fds.Set(1, 3, "/c", fromNs: 300, readNs: 1000);
        fds.Closed(1, 3, 400);

        fds.PathAt(1, 3, 150).Should().BeNull();
        fds.PathAt(1, 3, 350).Should().BeNull();
    }

    [Fact]
    public void A_path_read_while_the_fd_was_still_open_names_it_for_calls_before_its_close()
    {
        var fds = new FdTable();
        fds.Set(1, 3, "/dev/nvidiactl", fromNs: 100, readNs: 120);
        fds.Closed(1, 3, 500);
        fds.Set(1, 3, "/tmp/other", fromNs: 600);

        fds.PathAt(1, 3, 300).Should().Be("/dev/nvidiactl");
        fds.PathAt(1, 3, 550).Should().BeNull("between the close and the next open fd 3 held nothing");
        fds.PathAt(1, 3, 700).Should().Be("/tmp/other");
    }

    [Fact]
    public void An_open_names_the_file_read_for_its_own_fd_while_that_fd_was_still_open()
    {
        var fds = new FdTable();
        fds.Set(1, 3, "/proc/meminfo", fromNs: 100, readNs: 120);
        fds.Closed(1, 3, 500);

        fds.OpenedBy(1, 3, enterNs: 100).Should().Be("/proc/meminfo");
        fds.OpenedBy(1, 3, enterNs: 90).Should().BeNull("no path was read for an open that entered then");
    }

    [Fact]
    public void An_open_whose_fd_was_closed_before_its_path_was_read_names_nothing()
    {
        var fds = new FdTable();
        // The open at 100 returned fd 3, closed at 200; /proc named fd 3 at 1000, by then another file.
        fds.Set(1, 3, "/tmp/later", fromNs: 100, readNs: 1000);
        fds.Closed(1, 3, 200);

        fds.OpenedBy(1, 3, enterNs: 100).Should().BeNull();
    }

    [Fact]
    public void Isatty_is_named_tcgets_on_any_file()
    {
        IoctlDecoder.Decode("/tmp/x", 3, 0x5401).Name.Should().Be("TCGETS");
        IoctlDecoder.Decode(null, 3, 0x5413).Name.Should().Be("TIOCGWINSZ");
    }
}

[Collection(SerialCollection.Name)]
public class FdReuseCaptureTests
{
    [SkippableTheory]
    [InlineData(PerfMode.Hybrid)]
    [InlineData(PerfMode.Full)]
    public void Isatty_on_files_reopened_on_one_fd_never_names_one_file_for_all(PerfMode mode)
    {
        Requires.Perf();
        string dir = Directory.CreateTempSubdirectory("gpuosspec-fds").FullName;
        string[] files = ["fa", "fb", "fc", "fd", "fe"];
        foreach (string f in files)
        {
            File.WriteAllText(Path.Combine(dir, f), "");
        }
        try
        {
            var trace = CommandTracer.Run("/bin/sh", ["-c", "cd \"$0\" && for f in fa fb fc fd fe; do [ -t 3 ] 3<\"$f\"; done", dir],
                new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode });

            var tcgets = trace.Syscalls.Where(s => s.Ioctl?.Name == "TCGETS").ToList();
            tcgets.Should().HaveCount(5);
            for (int i = 0; i < tcgets.Count; i++)
            {
                tcgets[i].Ioctl!.Device.Should().BeOneOf(Path.Combine(dir, files[i]), "fd 3");
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
