namespace GpuOsSpec.Tracing.Checks;

/// <summary>What a rule measured in one scope: a figure with its evidence, a figure that was not measured, or a
/// premise the scope lacks.</summary>
public sealed record ScopeFigure
{
    private ScopeFigure()
    {
    }

    /// <summary>The figure in the rule's unit; null when not measured or not applicable.</summary>
    public double? Value { get; private init; }

    /// <summary>Why the figure was not measured, or null.</summary>
    public string? Unmeasured { get; private init; }

    /// <summary>Why the rule does not apply to the scope (no wait in it, say), or null.</summary>
    public string? NotApplicable { get; private init; }

    /// <summary>The figure as a failure message shows it ("3 (0.75 per warm run)").</summary>
    public string Found { get; private init; } = "";

    /// <summary>The evidence in words.</summary>
    public string EvidenceText { get; private init; } = "none";

    /// <summary>The evidence as data.</summary>
    public IReadOnlyList<EvidenceItem> Items { get; private init; } = [];

    /// <summary>A measured figure with its evidence.</summary>
    public static ScopeFigure Measured(double value, string found, string evidence, IReadOnlyList<EvidenceItem> items) =>
        new() { Value = value, Found = found, EvidenceText = evidence, Items = items };

    /// <summary>A figure this capture did not measure, with the reason.</summary>
    public static ScopeFigure NotMeasured(string why) => new() { Unmeasured = why };

    /// <summary>A scope the rule does not apply to, with the reason.</summary>
    public static ScopeFigure Absent(string why) => new() { NotApplicable = why };
}
