namespace GpuOsSpec.Tracing.Sources;

/// <summary>
/// A source that records a trace's syscalls (perf, strace, /proc): it owns its kind, its check and its backend, so
/// adding one is its folder and its entry in <see cref="SourceSelector"/>'s list.
/// </summary>
internal interface ISyscallSource : ICaptureSource
{
    /// <summary>Which source this is.</summary>
    CaptureSourceKind Kind { get; }

    /// <summary>A fresh backend with <paramref name="options"/>; call <see cref="ICaptureSource.Check"/>
    /// first.</summary>
    ICaptureBackend CreateBackend(CaptureOptions options);
}
