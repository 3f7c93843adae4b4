using GpuOsSpec.Tracing.Capture.PerfEvents;
using GpuOsSpec.Tracing.Capture.ProcFs;
using GpuOsSpec.Tracing.Capture.Strace;

namespace GpuOsSpec.Tracing.Capture;

/// <summary>The one place a capture source picks its code: a new source adds its folder and one line here.</summary>
internal static class CaptureBackends
{
    /// <summary>A fresh backend for <paramref name="source"/> (already chosen by <see cref="SourceSelector"/>).</summary>
    internal static ICaptureBackend Create(CaptureSourceKind source, CaptureOptions options) => source switch
    {
        CaptureSourceKind.Perf => new PerfBackend(options),
        CaptureSourceKind.Strace => new StraceBackend(),
        CaptureSourceKind.Proc => new ProcBackend(),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Choose a source with SourceSelector first."),
    };
}
