namespace GpuOsSpec.Tracing.Capture.EventPipe;

/// <summary>.NET runtime events (GC, JIT, thread pool, contention, exceptions) through EventPipe.</summary>
public sealed class EventPipeSource : ICaptureSource
{
    /// <inheritdoc/>
    public string Id => "eventpipe";

    /// <inheritdoc/>
    public string Overhead => "low: the runtime writes events to an in-memory buffer read over the diagnostics socket";

    /// <inheritdoc/>
    public CapabilityCheck Check() =>
        Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics") == "0"
            ? CapabilityCheck.Unavailable(Id, "the .NET diagnostics server is disabled (DOTNET_EnableDiagnostics=0)", "unset DOTNET_EnableDiagnostics")
            : CapabilityCheck.Ok(Id);
}
