namespace GpuOsSpec.Tracing.Sources;

/// <summary>A running capture of runtime events.</summary>
internal interface IRuntimeEventCapture : IDisposable
{
    /// <summary>The capture's own thread, which is never traced.</summary>
    int Tid { get; }

    /// <summary>Why it stopped early, or null.</summary>
    string? Failure { get; }

    /// <summary>Stops it and hands over the events and how many the runtime dropped.</summary>
    (IReadOnlyList<RuntimeEvent> Events, long Lost) Stop();
}
