namespace GpuOsSpec.Tracing.Sources.Proc;

/// <summary>/proc and rusage counters: context switches and faults per thread, fds and mappings. Always
/// available.</summary>
public sealed class ProcFsSource : ICaptureSource, ISyscallSource
{
    /// <inheritdoc/>
    public string Id => "proc";

    /// <inheritdoc/>
    CaptureSourceKind ISyscallSource.Kind => CaptureSourceKind.Proc;

    /// <inheritdoc/>
    ICaptureBackend ISyscallSource.CreateBackend(CaptureOptions options) => new ProcBackend();

    /// <inheritdoc/>
    public string Overhead => "negligible: a few file reads at the start and the end";

    /// <inheritdoc/>
    public CapabilityCheck Check() => Directory.Exists("/proc/self/task")
        ? CapabilityCheck.Ok(Id)
        : CapabilityCheck.Unavailable(Id, "/proc is not mounted", "mount -t proc proc /proc");
}
