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
    public override CheckNeeds Needs => CheckNeeds.FaultEvents;

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
        var faults = view.PageFaults.ToList();
        string shown = $"{minor.Value:N0} minor, {major.Value:N0} major: " +
            TraceEvidence.First(view, faults, f => f.Tid, f => f.TimeNs, f => $"{(f.Major ? "major" : "minor")} fault at 0x{f.Address:x}");
        var items = EvidenceItems.Events(scope, faults, f => f.Major ? "major page fault" : "minor page fault", f => f.Tid, f => f.TimeNs);
        return (new Measurement(minor.Value + major.Value, minor.Source), shown, items);
    }
}
