using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;
using GpuOsSpec.Workloads.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>Per-API attribution through uprobes on the OpenCL ICD loader, on a real program (our own CLI running a
/// workload on PoCL).</summary>
[Collection(SerialCollection.Name)]
public class ApiAttributionTests
{
    private static string Cli => Path.Combine(NativePrograms.TestDirectory, "gpuosspec.dll");

    [SkippableFact]
    public void OpenCL_calls_of_a_program_are_attributed_their_OS_cost()
    {
        Requires.Perf();
        RequireBackend.Named("opencl");
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, ApiLibraries = ApiLibraries.OpenCl };

        // The child traces itself with the proc source: a child with perf events of its own sends samples our capture
        // did not open.
        var trace = CommandTracer.Run("dotnet", [Cli, "run", "launch-storm", "--backend", "opencl", "--smoke", "--source", "proc"], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.ApiCallsRecorded.Should().BeTrue();
        var costs = trace.AllThreads().ApiCosts();
        var launches = costs.Should().ContainSingle(c => c.Name == "clEnqueueNDRangeKernel").Subject;
        launches.Calls.Should().BeGreaterThanOrEqualTo(1_000, "the smoke storm launches 1,000 kernels, plus the warm-up and the check");
        launches.Library.Should().Be("libOpenCL.so.1");
        costs.Should().Contain(c => c.Name == "clBuildProgram" && c.Syscalls > 0, "building a program reads and writes files");
        trace.ApiCalls.Should().OnlyContain(c => !c.Finished || c.EndNs >= c.StartNs);
        trace.AllThreads().Calls("uretprobe").Value.Should().Be(0, "the return probes' own syscalls are left out");
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && Environment.OSVersion.Version >= new Version(6, 11))
        {
            // Since Linux 6.11 every x86-64 return probe returns through the uretprobe syscall: they were there, and
            // counted.
            trace.Notes.Should().Contain(n => n.Contains("uretprobe syscall(s), made by the probes themselves") && n.Contains("are left out of every figure"));
        }
    }

    [SkippableFact]
    public void A_library_that_is_absent_is_noted_and_nothing_breaks()
    {
        Requires.Perf();
        Skip.If(ApiProbes.Locate("libamdhip64.so") is not null, "HIP is installed here: the absent-library case cannot be shown");
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, ApiLibraries = ApiLibraries.Hip | ApiLibraries.OpenCl };

        var trace = CommandTracer.Run("/bin/true", [], options);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Notes.Should().Contain(n => n.Contains("libamdhip64.so are not attributed: the library is not installed here"));
        trace.ApiCalls.Should().BeEmpty("/bin/true calls no OpenCL");
    }
}
