using System.Text.Json;
using GpuOsSpec.Tracing.Building;
using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Syscalls;
using GpuOsSpec.Tracing.Sources;

namespace GpuOsSpec.Tracing.Tests.Export;

/// <summary>Each open carries the file it opened into the JSON and Perfetto exports: the path where the capture read
/// it, and where it did not, no path and a word saying so, never an empty string that reads as a path.</summary>
public class OpenPathExportTests
{
    private const int Pid = 7;
    private static readonly int s_openat = SyscallTable.Current.Number("openat")!.Value;
    private static readonly int s_close = SyscallTable.Current.Number("close")!.Value;

    // An open whose fd perf named while it was open, one closed before its path was read, and one that failed.
    private static Trace Opens(IReadOnlyList<Phase>? phases = null, bool syscallsMeasured = true)
    {
        var fds = new FdTable();
        fds.Set(Pid, 5, "/proc/meminfo", fromNs: 1_000, readNs: 1_500);
        fds.Closed(Pid, 5, 3_000);
        // fd 6 was closed at 4_500, before the drain read /proc at 9_000 and found another file on it.
        fds.Set(Pid, 6, "/tmp/later", fromNs: 4_000, readNs: 9_000);
        fds.Closed(Pid, 6, 4_500);
        RawSyscall Call(int number, long enterNs, long result, ulong a0 = 0) =>
            new() { Pid = Pid, Tid = Pid, Number = number, EnterNs = enterNs, ExitNs = enterNs + 100, Result = result, Args = new SyscallArgs(a0, 0, 0, 0, 0, 0) };
        var capture = new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            SyscallsMeasured = syscallsMeasured,
            Syscalls = [Call(s_openat, 1_000, 5), Call(s_close, 3_000, 0, 5), Call(s_openat, 4_000, 6), Call(s_close, 4_500, 0, 6), Call(s_openat, 6_000, -2)],
            Fds = fds,
            Threads = new() { [Pid] = (Pid, "worker") },
        };
        return TraceBuilder.From(capture, new CaptureTarget
        {
            Target = "test",
            StartNs = 0,
            EndNs = 10_000,
            WorkloadTids = new HashSet<int> { Pid },
            Phases = phases ?? [],
        });
    }

    private static List<JsonElement> JsonOpens(Trace trace)
    {
        using var stream = new MemoryStream();
        TraceJsonExporter.Write(trace, stream);
        return JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("opens").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public void An_open_whose_fd_the_capture_read_has_its_path_in_the_JSON()
    {
        var open = JsonOpens(Opens())[0];

        open.GetProperty("name").GetString().Should().Be("openat");
        open.GetProperty("tid").GetInt32().Should().Be(Pid);
        open.GetProperty("timeNs").GetInt64().Should().Be(1_000);
        open.GetProperty("fd").GetInt64().Should().Be(5);
        open.GetProperty("path").GetString().Should().Be("/proc/meminfo");
        open.GetProperty("pathSource").GetString().Should().Be("perf, from /proc/PID/fd");
    }

    [Fact]
    public void An_open_whose_fd_was_closed_before_its_path_was_read_has_a_null_path_and_says_not_read()
    {
        var open = JsonOpens(Opens())[1];

        open.GetProperty("fd").GetInt64().Should().Be(6);
        open.GetProperty("path").ValueKind.Should().Be(JsonValueKind.Null, "the path read later was another file's");
        open.GetProperty("pathSource").GetString().Should().StartWith("not read: ");
    }

    [Fact]
    public void A_failed_open_has_its_errno_no_fd_and_no_path_in_the_JSON()
    {
        var open = JsonOpens(Opens())[2];

        open.GetProperty("errno").GetString().Should().Be("ENOENT");
        open.GetProperty("fd").ValueKind.Should().Be(JsonValueKind.Null);
        open.GetProperty("path").ValueKind.Should().Be(JsonValueKind.Null);
        open.GetProperty("pathSource").GetString().Should().Be("none: the open failed");
    }

    [Fact]
    public void A_phase_lists_the_opens_made_in_it()
    {
        var trace = Opens([new Phase("steady", "steady", 500, 2_000, Pid)]);
        using var stream = new MemoryStream();

        TraceJsonExporter.Write(trace, stream);

        var phase = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("phases").EnumerateArray().Should().ContainSingle().Subject;
        phase.GetProperty("opens").EnumerateArray().Select(o => o.GetProperty("path").GetString()).Should().Equal("/proc/meminfo");
        phase.GetProperty("opensLeftOut").GetInt32().Should().Be(0);
    }

    [Fact]
    public void Opens_are_null_in_the_JSON_when_no_syscall_was_measured()
    {
        var trace = Opens(syscallsMeasured: false);
        using var stream = new MemoryStream();

        TraceJsonExporter.Write(trace, stream);

        JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("opens").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void The_perfetto_slice_of_an_open_carries_its_path_or_says_not_read()
    {
        using var stream = new MemoryStream();

        PerfettoExporter.Write(Opens(), stream);

        var opens = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("traceEvents").EnumerateArray()
            .Where(e => e.GetProperty("name").GetString() == "openat").Select(e => e.GetProperty("args")).ToList();
        opens.Should().HaveCount(3);
        opens[0].GetProperty("path").GetString().Should().Be("/proc/meminfo");
        opens[1].TryGetProperty("path", out _).Should().BeFalse();
        opens[1].GetProperty("pathSource").GetString().Should().Be("not read");
        opens[2].TryGetProperty("path", out _).Should().BeFalse("a failed open opened nothing");
    }
}
