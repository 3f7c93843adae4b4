using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>Every uprobe a capture defines in tracefs is gone when the capture returns, however the command
/// ended.</summary>
[Collection(SerialCollection.Name)]
public class UprobeCleanupTests
{
    private static CaptureOptions Options()
    {
        Requires.Perf();
        Skip.If(ApiProbes.Locate("libOpenCL.so.1") is null, "libOpenCL.so.1 is not installed here (apt-get install ocl-icd-libopencl1 pocl-opencl-icd), so there is no API probe set to remove");
        // API probes defined in tracefs are the perf-sample path's (the kernel counter's are BPF links, which close
        // with their fds).
        return new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, GpuOsLibrary = NativePrograms.GpuOsLibrary, ApiLibraries = ApiLibraries.OpenCl, ApiSamples = true };
    }

    [SkippableFact]
    public void A_capture_with_markers_and_OpenCL_probes_leaves_no_uprobe_behind()
    {
        var options = Options();

        var trace = CommandTracer.Run(NativePrograms.Markers, ["1"], options);

        trace.Phases.Should().NotBeEmpty("the marker probe must have been defined and hit for this to mean anything");
        trace.Notes.Should().Contain(n => n.Contains("entry points of") && n.Contains("are probed"), "the API probes must have been defined");
        UprobeEvents.Of(Environment.ProcessId).Should().BeEmpty("the capture has returned");
    }

    [SkippableFact]
    public void A_capture_whose_command_was_killed_leaves_no_uprobe_behind()
    {
        var options = Options();

        var trace = CommandTracer.Run("/bin/sh", ["-c", "kill -KILL $$"], options);

        trace.Signal.Should().Be(9);
        UprobeEvents.Of(Environment.ProcessId).Should().BeEmpty();
    }

    [SkippableFact]
    public void An_interrupted_capture_leaves_no_uprobe_behind()
    {
        var options = Options();
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var trace = CommandTracer.Run("/bin/sleep", ["30"], options, interrupt.Token);

        trace.Incomplete.Should().BeTrue();
        UprobeEvents.Of(Environment.ProcessId).Should().BeEmpty();
    }
}
