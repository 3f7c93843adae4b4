using System.Globalization;

namespace GpuOsSpec.Scaling;

/// <summary>One metric's fit over a scaling run: fixed cost, marginal cost per unit, fit quality and the medians
/// fitted.</summary>
/// <param name="Operation">The operation measured ("launch").</param>
/// <param name="Metric">The metric
/// ("syscalls", "role memory", "syscall futex", "ioctl NV_ESC_RM_ALLOC", "voluntary switches", ...).</param>
/// <param name="Fit">The fitted line.</param>
/// <param name="Medians">(size, median over repetitions) for each
/// size.</param>
/// <param name="Trace">The trace the figures came from (for inconclusive checks and its saved
/// path).</param>
/// <param name="Unmeasured">Why the metric could not be measured, or null.</param>
public sealed record ScalingFit(string Operation, string Metric, LinearFit Fit, IReadOnlyList<(long Size, double Median)> Medians, Trace Trace, string? Unmeasured)
{
    /// <summary>The cost per unit of size.</summary>
    public double Marginal => Fit.Marginal;

    /// <summary>The cost that does not grow with size.</summary>
    public double Fixed => Fit.Fixed;

    /// <summary>"100: 2, 1,000: 2, 10,000: 3" for messages.</summary>
    public string DescribePoints() =>
        string.Join(", ", Medians.Select(m => $"{m.Size.ToString("N0", CultureInfo.InvariantCulture)}: {m.Median.ToString("G4", CultureInfo.InvariantCulture)}"));

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Metric} per {Operation}: marginal {Marginal:G4}, fixed {Fixed:G4}, R² {(double.IsNaN(Fit.RSquared) ? "exact" : Fit.RSquared.ToString("F3", CultureInfo.InvariantCulture))} (medians {DescribePoints()})");
}
