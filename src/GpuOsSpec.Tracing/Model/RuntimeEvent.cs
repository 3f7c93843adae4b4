namespace GpuOsSpec.Tracing.Model;

/// <summary>A .NET runtime event from EventPipe.</summary>
/// <param name="TimeNs">CLOCK_MONOTONIC nanoseconds.</param>
/// <param name="Tid">The thread that raised it.</param>
/// <param name="Kind">What kind of event.</param>
/// <param name="Name">The event's name (GC/Start, Method/JittingStarted, ...).</param>
/// <param name="Detail">A short description (generation and reason, method name, ...).</param>
public sealed record RuntimeEvent(long TimeNs, int Tid, RuntimeEventKind Kind, string Name, string Detail);
