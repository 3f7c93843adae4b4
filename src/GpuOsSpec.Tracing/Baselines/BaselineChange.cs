namespace GpuOsSpec.Tracing.Baselines;

/// <summary>One figure that moved past the tolerance.</summary>
/// <param name="Entry">The baseline's figure (a zero
/// figure of that key when the figure is new).</param>
/// <param name="Current">Per run now (the median over the compared
/// runs).</param>
/// <param name="Regression">True when it grew past the tolerance; false when it shrank past it.</param>
/// <param name="Limit">The largest value it could have reached without failing.</param>
/// <param name="FirstSeen">Where
/// the first call appeared in the current trace, when it is a syscall or ioctl: "+12.345 ms, tid 42 python3".</param>
public sealed record BaselineChange(BaselineEntry Entry, double Current, bool Regression, double Limit, string? FirstSeen);
