namespace GpuOsSpec.Assertions;

/// <summary>Entry points: trace.Should(), view.Should(), fit.Should().</summary>
public static class GpuOsSpecAssertionExtensions
{
    /// <summary>Assertions on the whole trace, for workload and GPU-runtime threads.</summary>
    public static TraceViewAssertions Should(this Trace trace) => new(trace.View());

    /// <summary>Assertions on a view (a phase, some thread origins).</summary>
    public static TraceViewAssertions Should(this TraceView view) => new(view);

    /// <summary>Assertions on a scaling fit.</summary>
    public static ScalingFitAssertions Should(this ScalingFit fit) => new(fit);
}
