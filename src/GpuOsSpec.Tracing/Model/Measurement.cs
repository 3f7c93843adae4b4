namespace GpuOsSpec.Tracing.Model;

/// <summary>A figure that may be absent. Absent is never shown as zero.</summary>
/// <param name="Value">The value, or null when not measured.</param>
/// <param name="Source">Where it came from ("perf", "strace", "proc", "rusage"), or why it is absent.</param>
public readonly record struct Measurement(long? Value, string Source)
{
    /// <summary>True when the figure was measured.</summary>
    public bool IsMeasured => Value.HasValue;

    /// <summary>A figure that was not measured, with the reason.</summary>
    public static Measurement Absent(string why) => new(null, why);

    /// <inheritdoc/>
    public override string ToString() => Value?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a";
}
