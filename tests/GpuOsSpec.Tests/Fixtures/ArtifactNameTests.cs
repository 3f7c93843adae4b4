using GpuOsSpec.Capture;
using GpuOsSpec.Cases;
using GpuOsSpec.Fixtures;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Xunit;

namespace GpuOsSpec.Tests.Fixtures;

public class ArtifactNameTests
{
    private static readonly CaptureOptions s_counters = new() { Source = CaptureSourceKind.Proc };

    // Each backend's case of a theory once wrote the same file, named after the helper that called GpuSpec.Trace. A
    // file name has no colon: "opencl:1" is written "opencl_1".
    [GpuTheory]
    [InlineData("cpu")]
    [InlineData("opencl:1")]
    public void A_trace_made_in_a_helper_is_named_after_the_running_case_and_its_arguments(string backend)
    {
        string file = Path.GetFileName(TraceInAHelper(label: null));

        file.Should().StartWith($"ArtifactNameTests.{nameof(A_trace_made_in_a_helper_is_named_after_the_running_case_and_its_arguments)}[{backend.Replace(':', '_')}]")
            .And.NotContain(nameof(TraceInAHelper));
    }

    [GpuFact]
    public void A_label_that_is_not_an_argument_is_added_and_a_second_trace_is_numbered()
    {
        string first = Path.GetFileName(TraceInAHelper(label: "warm"));
        string second = Path.GetFileName(TraceInAHelper(label: "warm"));

        first.Should().MatchRegex(@"^ArtifactNameTests\.A_label_that_is_not_an_argument_is_added_and_a_second_trace_is_numbered\[warm\](\.\d+)?\.trace\.json$");
        second.Should().NotBe(first, "a second trace of the same name gets its own file");
    }

    [Fact]
    public void Outside_a_gpu_case_the_spec_and_label_name_the_file() =>
        CurrentTest.ArtifactName("Measure", "cuda").Should().Be("Measure[cuda]");

    private static string TraceInAHelper(string? label)
    {
        using var scope = GpuSpec.Trace(label: label, options: s_counters);
        scope.Stop();
        return scope.Artifacts!.TraceJson;
    }
}
