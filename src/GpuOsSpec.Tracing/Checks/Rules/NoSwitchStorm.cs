namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>No thread switches more than N times per ms: a thread woken and parked that often spends its time in the
/// scheduler.</summary>
public sealed class NoSwitchStorm : ThreadRateRule
{
    /// <inheritdoc/>
    public override string Id => "no-switch-storm";

    /// <inheritdoc/>
    public override string Title => "No thread storms context switches";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypotheses \"With paced submission the only context switches are the sleeps'\" (specs/Scheduling/PacedSubmissionSwitchesOnlyToSleep.cs) and " +
        "\"Blocking sync parks the waiting thread\" (specs/Synchronization/SpinNeverParksBlockingDoes.cs); H200: a blocking sync costs about 3 context switches " +
        "per launch and sync, and the PyTorch training loop about 6 per 1.3 ms step (docs/h200-gpuos-2026-12-02/train-gpuos.phases.json)";

    /// <inheritdoc/>
    public override double DefaultThreshold => 20;

    /// <inheritdoc/>
    public override CheckNeeds Needs => CheckNeeds.SwitchEvents;

    /// <inheritdoc/>
    protected override string What => "context switches";

    /// <inheritdoc/>
    protected override (IReadOnlyList<(int Tid, long TimeNs)>? Events, string? Unmeasured) Events(CheckScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.View.Trace.ContextSwitchEventsRecorded)
        {
            return (null, $"context switches were not recorded one by one by the {CaptureNames.Of(scope.View.Trace.Source)} source (trace with perf)");
        }
        return (scope.View.ContextSwitches.Select(c => (c.Tid, c.TimeNs)).ToList(), null);
    }
}
