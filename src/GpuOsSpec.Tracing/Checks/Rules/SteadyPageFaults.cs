namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>No page-fault storm in a steady phase: a warm step touches memory it touched before.</summary>
public sealed class SteadyPageFaults : SteadyCountRule
{
    /// <inheritdoc/>
    public override string Id => "steady-no-fault-storm";

    /// <inheritdoc/>
    public override string Title => "A steady phase takes no page-fault storm";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypothesis \"Pageable copies fault host pages on first touch; pinned copies do not\" (specs/Memory/PageableCopiesFaultPinnedDoNot.cs); " +
        "H200: NVIDIA's OpenCL took about 44 user faults per MiB of a first pageable copy, and the PyTorch training loop 9 faults in 50 steps " +
        "(docs/h200-gpuos-2026-12-02/train-gpuos.phases.json). 64 faults is 256 KiB of first touches per step";

    /// <inheritdoc/>
    public override double DefaultThreshold => 64;

    /// <inheritdoc/>
    /// <remarks>Counts only: every fault an event, or each phase run's faults summed in the kernel by hybrid mode's
    /// phase counter, where fault events are off.</remarks>
    public override CheckNeeds Needs => CheckNeeds.FaultCounts;

    /// <inheritdoc/>
    protected override string What => "page faults";

    /// <inheritdoc/>
    protected override string Verb => "take";

    /// <inheritdoc/>
    protected override (Measurement Count, string Evidence, IReadOnlyList<EvidenceItem> Items) Count(CheckScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var view = scope.View;
        var (minor, major) = (view.MinorFaults(), view.MajorFaults());
        if (!minor.IsMeasured || !major.IsMeasured)
        {
            return (minor.IsMeasured ? major : minor, "", []);
        }
        var total = new Measurement(minor.Value + major.Value, minor.Source);
        if (!view.Trace.PageFaultEventsRecorded)
        {
            var (text, counted) = CountedByThread(scope);
            return (total, $"{minor.Value:N0} minor, {major.Value:N0} major, {text}", counted);
        }
        var faults = view.PageFaults.ToList();
        string shown = $"{minor.Value:N0} minor, {major.Value:N0} major: " +
            TraceEvidence.First(view, faults, f => f.Tid, f => f.TimeNs, f => $"{(f.Major ? "major" : "minor")} fault at 0x{f.Address:x}");
        var items = EvidenceItems.Events(scope, faults, f => f.Major ? "major page fault" : "minor page fault", f => f.Tid, f => f.TimeNs);
        return (total, shown, items);
    }

    // Without fault events the kernel's sums say how many faults each thread took in the runs, not when or where: the
    // evidence names the threads, and no first occurrence or address is made up.
    private static (string Text, IReadOnlyList<EvidenceItem> Items) CountedByThread(CheckScope scope)
    {
        var view = scope.View;
        var threads = view.Trace.Threads
            .Where(t => (t.Origin & view.Origins) != 0 || (t.Origin == ThreadOrigin.None && view.Origins == ThreadOrigin.All))
            .Select(t => (t.Tid, Faults: (view.OnThreads(t.Tid).MinorFaults().Value ?? 0) + (view.OnThreads(t.Tid).MajorFaults().Value ?? 0)))
            .Where(t => t.Faults > 0).OrderByDescending(t => t.Faults).ThenBy(t => t.Tid).ToList();
        string by = TraceEvidence.Joined(threads.Select(t => $"{t.Faults:N0} on {TraceEvidence.Thread(view.Trace, t.Tid)}"), 5);
        var items = threads.Take(5).Select(t => new EvidenceItem("page faults", t.Faults, scope.Name, null, t.Tid,
            view.Trace.Thread(t.Tid) is { } thread ? $"{thread.Name} [{thread.Origin}]" : null)).ToList();
        return ($"counted per phase run in the kernel (hybrid mode's phase counter; no fault events, so no time or address): {by}", items);
    }
}
