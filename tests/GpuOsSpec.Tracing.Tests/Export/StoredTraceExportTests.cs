using GpuOsSpec.Tracing.Building;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Strace;

namespace GpuOsSpec.Tracing.Tests.Export;

/// <summary>
/// A stored capture (strace's own output, in Data/) decoded, built and exported: its JSON and Perfetto files are the
/// same bytes as in Golden/, written by the code before the layers moved (commit 2f8547f), so no refactoring changes
/// them.
/// </summary>
public class StoredTraceExportTests
{
    private static Trace Stored()
    {
        var capture = new StraceCapture();
        capture.ReadFile(Path.Combine(Support.NativePrograms.TestDirectory, "Data", "strace-threads-signal.txt"), 4989, 0);
        var result = new CaptureResult
        {
            Source = CaptureSourceKind.Strace,
            Mode = CaptureMode.Strace,
            Syscalls = capture.Syscalls,
            NameOf = capture.NameOf,
            Fds = capture.Fds,
            Threads = capture.Tids.ToDictionary(t => t, _ => (4989, "storm")),
            Voluntary = new Measurement(7, "rusage"),
            Involuntary = new Measurement(3, "rusage"),
            MinorFaults = new Measurement(120, "rusage"),
            MajorFaults = new Measurement(0, "rusage"),
            Control = (1, 1, "the command's own execve"),
        };
        return TraceBuilder.From(
            result,
            new CaptureTarget
            {
                Target = "storm 200 3",
                StartNs = 0,
                EndNs = long.MaxValue / 2,
                WorkloadTids = new HashSet<int> { 4989 },
                ExitCode = 0,
            }
        );
    }

    // The kernel a trace was built on is this machine's: the one line that may differ.
    private static string WithoutKernel(string text) =>
        string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith("\"kernel\"", StringComparison.Ordinal)));

    [Theory]
    [InlineData("json")]
    [InlineData("perfetto")]
    public void A_stored_capture_exports_the_bytes_it_always_has(string format)
    {
        var trace = Stored();
        using var stream = new MemoryStream();
        if (format == "json")
        {
            TraceJsonExporter.Write(trace, stream);
        }
        else
        {
            PerfettoExporter.Write(trace, stream);
        }
        string golden = File.ReadAllText(Path.Combine(Support.NativePrograms.TestDirectory, "Export", "Golden", $"strace-threads-signal.{format}"));

        WithoutKernel(System.Text.Encoding.UTF8.GetString(stream.ToArray())).Should().Be(WithoutKernel(golden));
    }
}
