using System.Text.Json;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Export;

[Collection(SerialCollection.Name)]
public class ExportTests
{
    private static Trace StormTrace() =>
        CommandTracer.Run(NativePrograms.Storm, ["300", "3"], new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full });

    [SkippableFact]
    public void The_json_has_the_schema_and_every_field_the_cli_promises()
    {
        Requires.Perf();
        using var stream = new MemoryStream();

        TraceJsonExporter.Write(StormTrace(), stream);

        var root = JsonDocument.Parse(stream.ToArray()).RootElement;
        root.GetProperty("schema").GetString().Should().Be("gpuosspec.trace/2");
        root.GetProperty("source").GetString().Should().Be("perf");
        root.GetProperty("lostEvents").GetInt64().Should().Be(0);
        root.GetProperty("threads").GetArrayLength().Should().Be(4);
        var getppid = root.GetProperty("syscalls").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "getppid");
        getppid.GetProperty("count").GetInt64().Should().Be(300);
        getppid.GetProperty("errors").GetInt64().Should().Be(0);
        getppid.GetProperty("role").GetString().Should().Be("other");
        root.GetProperty("ioctls").ValueKind.Should().Be(JsonValueKind.Array);
        root.GetProperty("contextSwitches").GetProperty("voluntary").ValueKind.Should().Be(JsonValueKind.Number);
        root.GetProperty("pageFaults").GetProperty("minor").GetInt64().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Absent_figures_are_null_in_json_never_zero()
    {
        var trace = CommandTracer.Run(NativePrograms.Storm, ["10"], new CaptureOptions { Source = CaptureSourceKind.Proc });
        using var stream = new MemoryStream();

        TraceJsonExporter.Write(trace, stream);

        var root = JsonDocument.Parse(stream.ToArray()).RootElement;
        root.GetProperty("syscallsMeasured").GetBoolean().Should().BeFalse();
        root.GetProperty("syscalls").GetArrayLength().Should().Be(0);
        TraceSummary.Render(trace).Should().Contain("syscalls n/a");
    }

    [SkippableFact]
    public void The_perfetto_file_is_trace_event_json_with_a_track_per_thread()
    {
        Requires.Perf();
        using var stream = new MemoryStream();

        PerfettoExporter.Write(StormTrace(), stream);

        var events = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        events.Count(e => e.GetProperty("name").GetString() == "thread_name").Should().Be(4);
        events.Count(e => e.GetProperty("name").GetString() == "getppid" && e.GetProperty("ph").GetString() == "X").Should().Be(300);
        events.Should().OnlyContain(e => e.GetProperty("ph").GetString() == "M" || e.GetProperty("ts").GetDouble() >= 0);
    }

    [SkippableFact]
    public void The_summary_groups_by_role_and_names_the_top_syscalls()
    {
        Requires.Perf();

        string summary = TraceSummary.Render(StormTrace());

        summary.Should().Contain("syscalls by role").And.Contain("memory").And.Contain("getppid").And.Contain("lost     0 kernel events");
    }
}
