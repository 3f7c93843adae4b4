using System.Globalization;

namespace GpuOsSpec.Specs.Support;

/// <summary>A vendor's expected range for a figure, and why; the spec fails on any value outside it.</summary>
/// <param name="Min">The least value expected.</param>
/// <param name="Max">The most value expected.</param>
/// <param name="Why">The reason, shown in the failure message.</param>
public sealed record Expected(double Min, double Max, string Why)
{
    /// <summary>Exactly zero.</summary>
    public static Expected None(string why) => new(0, 0, why);

    /// <summary>At most <paramref name="max"/> (a fitted slope may dip below zero by noise; that is within
    /// it).</summary>
    public static Expected AtMost(double max, string why) => new(double.MinValue, max, why);

    /// <summary>At least <paramref name="min"/>.</summary>
    public static Expected AtLeast(double min, string why) => new(min, double.MaxValue, why);

    /// <inheritdoc/>
    public override string ToString() => Max == double.MaxValue
        ? string.Create(CultureInfo.InvariantCulture, $"at least {Min:G4}")
        : Min == double.MinValue
            ? string.Create(CultureInfo.InvariantCulture, $"at most {Max:G4}")
            : string.Create(CultureInfo.InvariantCulture, $"{Min:G4} to {Max:G4}");
}
