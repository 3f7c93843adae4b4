namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>No sched_yield storm: a wait that yields in a loop burns a core and floods the scheduler.</summary>
public sealed class NoSchedYieldStorm : ThreadRateRule
{
    /// <inheritdoc/>
    public override string Id => "no-sched-yield-storm";

    /// <inheritdoc/>
    public override string Title => "No thread storms sched_yield";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypothesis \"Under spin, kernel length does not change the syscall count; under yield, sched_yield grows with it\" (specs/Synchronization/YieldCallsSchedYieldInProportion.cs); " +
        "H200: CUDA's yield sync mode made about 1,600 sched_yield per ms of GPU wait, spin and blocking none";

    /// <inheritdoc/>
    public override double DefaultThreshold => 10;

    /// <inheritdoc/>
    public override CheckNeeds Needs => CheckNeeds.Syscalls;

    /// <inheritdoc/>
    protected override string What => "sched_yield calls";

    /// <inheritdoc/>
    protected override (IReadOnlyList<(int Tid, long TimeNs)>? Events, string? Unmeasured) Events(CheckScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var calls = scope.View.Calls("sched_yield");
        if (!calls.IsMeasured)
        {
            return (null, calls.Source);
        }
        var events = scope.View.Syscalls.Where(s => s.Name == "sched_yield").Select(s => (s.Tid, s.EnterNs)).ToList();
        // In a hybrid capture of the whole run the kernel may have counted calls it did not record: their times are
        // unknown, so no window can be drawn.
        return events.Count < calls.Value
            ? (null, $"{calls.Value - events.Count:N0} sched_yield calls were counted in the kernel without their times (hybrid mode); use --mode full")
            : (events, null);
    }
}
