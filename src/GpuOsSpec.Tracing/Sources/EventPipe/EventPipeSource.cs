namespace GpuOsSpec.Tracing.Sources.EventPipe;

/// <summary>.NET runtime events (GC, JIT, thread pool, contention, exceptions) through EventPipe.</summary>
public sealed class EventPipeSource : ICaptureSource, IRuntimeEventSource
{
    /// <inheritdoc/>
    IRuntimeEventCapture IRuntimeEventSource.Start()
    {
        var capture = new EventPipeCapture(Environment.ProcessId);
        capture.Start();
        return capture;
    }

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
