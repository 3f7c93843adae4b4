namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// A capture's proof that it could see: known events caused on traced threads, which must all arrive. A capture that
/// missed any of them saw less than happened, whatever it counted, so its trace is inconclusive.
/// </summary>
/// <param name="Expected">How many control events were caused.</param>
/// <param name="Seen">How many of them the capture
/// recorded.</param>
/// <param name="What">What the controls are, for messages ("getpriority(0x47505343, n) at the start,
/// the end and each phase boundary").</param>
public sealed record PositiveControl(int Expected, int Seen, string What)
{
    /// <summary>True when every control event arrived.</summary>
    public bool Passed => Seen >= Expected;
}
