namespace GpuOsSpec.Tracing.Analysis;

/// <summary>A least-squares line y = fixed + marginal * n through (n, y) points, with its coefficient of determination.</summary>
/// <param name="Fixed">The intercept: the cost that does not grow with n.</param>
/// <param name="Marginal">The slope: the cost per unit of n.</param>
/// <param name="RSquared">How well the line explains the points (1 is perfect; NaN when every y is equal and the line fits exactly).</param>
public readonly record struct LinearFit(double Fixed, double Marginal, double RSquared)
{
    /// <summary>Fits a line through the points.</summary>
    /// <exception cref="ArgumentException">With fewer than two distinct n.</exception>
    public static LinearFit Through(IReadOnlyList<(double N, double Y)> points)
    {
        if (points.Select(p => p.N).Distinct().Count() < 2)
        {
            throw new ArgumentException("A fit needs at least two different sizes.", nameof(points));
        }
        double mx = points.Average(p => p.N);
        double my = points.Average(p => p.Y);
        double sxx = points.Sum(p => (p.N - mx) * (p.N - mx));
        double sxy = points.Sum(p => (p.N - mx) * (p.Y - my));
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double ssTot = points.Sum(p => (p.Y - my) * (p.Y - my));
        double ssRes = points.Sum(p => Math.Pow(p.Y - (intercept + slope * p.N), 2));
        double r2 = ssTot == 0 ? (ssRes == 0 ? double.NaN : 0) : 1 - ssRes / ssTot;
        return new LinearFit(intercept, slope, r2);
    }
}
