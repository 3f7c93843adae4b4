namespace GpuOsSpec.Tracing.Sources;

/// <summary>A source of a managed runtime's own events (EventPipe), recorded beside an in-process trace's syscall
/// source.</summary>
internal interface IRuntimeEventSource : ICaptureSource
{
    /// <summary>Starts recording this process's runtime events; returns once it records.</summary>
    IRuntimeEventCapture Start();
}
