using System.Runtime.InteropServices;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Interop;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>An in-process session counts the API calls of its own process in the kernel from the start (there is no
/// exec to wait for): clGetPlatformIDs of the OpenCL ICD loader, called through a function pointer.</summary>
[Collection(SerialCollection.Name)]
public class InProcessApiCountingTests
{
    [SkippableFact]
    public unsafe void An_in_process_session_counts_each_call_of_its_own_threads()
    {
        Requires.Hybrid();
        Skip.If(ApiProbes.Locate("libOpenCL.so.1") is null, "the OpenCL ICD loader is not installed here");
        var clGetPlatformIDs = (delegate* unmanaged<uint, nint*, uint*, int>)NativeLibrary.GetExport(NativeLibrary.Load("libOpenCL.so.1"), "clGetPlatformIDs");

        using var session = TraceSession.Start(new CaptureOptions { Source = CaptureSourceKind.Perf, ApiLibraries = ApiLibraries.OpenCl });
        uint count;
        for (int i = 0; i < 5; i++)
        {
            clGetPlatformIDs(0, null, &count);
        }
        var trace = session.Stop();

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Notes.Should().Contain(n => n.StartsWith("API calls are counted in the kernel", StringComparison.Ordinal));
        trace.ApiCalls.Where(c => c.Name == "clGetPlatformIDs").Should().HaveCount(5).And.OnlyContain(c => c.Finished && c.Tid == Libc.CurrentTid);
    }
}
