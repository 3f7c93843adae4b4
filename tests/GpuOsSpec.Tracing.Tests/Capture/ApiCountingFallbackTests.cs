using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>
/// API calls are counted in the kernel where its eBPF object loads, and sampled by perf (tracefs probes) where it does
/// not, with the reason: the machine's object is replaced by a name the assembly does not hold.
/// </summary>
[Collection(SerialCollection.Name)]
public class ApiCountingFallbackTests
{
    private const string AbsentObject = "GpuOsSpec.Tracing.Bpf.absent-for-a-test.bpf.o";

    [SkippableFact]
    public void Api_calls_are_sampled_by_perf_where_the_kernel_counter_cannot_load_and_the_reason_is_kept()
    {
        Requires.Perf();
        Skip.If(ApiProbes.Locate("libOpenCL.so.1") is null, "the OpenCL ICD loader is not installed here");

        using var capture = new PerfCapture(PerfMode.Full, 64, recordFaults: false, enableOnExec: true, markers: null, ApiLibraries.OpenCl, apiSamples: false, apiObject: AbsentObject);

        capture.ApiCountedInKernel.Should().BeFalse();
        capture.ApiCounterUnavailable.Should().Contain($"holds no eBPF object {AbsentObject}");
        capture.Api!.Functions.Should().NotBeEmpty().And.OnlyContain(f => f.EntryId != 0 && f.ReturnId != 0, "the probes are defined in tracefs, for perf to sample");
    }

    [SkippableFact]
    public void Api_calls_are_counted_in_the_kernel_where_its_object_loads_on_the_tracefs_probes_perf_events()
    {
        Requires.Hybrid();
        Skip.If(ApiProbes.Locate("libOpenCL.so.1") is null, "the OpenCL ICD loader is not installed here");

        using var capture = new PerfCapture(PerfMode.Full, 64, recordFaults: false, enableOnExec: true, markers: null, ApiLibraries.OpenCl);

        capture.ApiCountedInKernel.Should().BeTrue(capture.ApiCounterUnavailable);
        capture.Api!.Functions.Should().NotBeEmpty().And.OnlyContain(f => f.EntryId != 0 && f.ReturnId != 0, "the counter's programs ride the perf events of the tracefs probes, which install them in the traced tree only");
    }
}
