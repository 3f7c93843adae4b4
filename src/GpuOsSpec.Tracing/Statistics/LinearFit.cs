namespace GpuOsSpec.Tracing.Statistics;

/// <summary>A least-squares line y = fixed + marginal * n through (n, y) points, with its coefficient of
/// determination.</summary>
/// <param name="Fixed">The intercept: the cost that does not grow with n.</param>
/// <param name="Marginal">The slope: the cost per unit of n.</param>
/// <param name="RSquared">How well the line explains
/// the points (1 is perfect; NaN when every y is equal and the line fits exactly).</param>
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

    // Student's t at 0.975 for 1 to 30 degrees of freedom; 1.96 beyond.
    private static readonly double[] s_t975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>
    /// The 95 % confidence interval of the slope (ordinary least squares, t with n - 2 degrees of freedom), or NaN at
    /// both ends with fewer than three points: through two points any line fits, and nothing is known of the noise.
    /// </summary>
    public static (double Low, double High) MarginalInterval(IReadOnlyList<(double N, double Y)> points)
    {
        if (Noise(points) is not { } noise)
        {
            return (double.NaN, double.NaN);
        }
        double se = noise.S / Math.Sqrt(noise.Sxx);
        return (noise.Fit.Marginal - noise.T * se, noise.Fit.Marginal + noise.T * se);
    }

    /// <summary>
    /// The 95 % confidence interval of the line's value at <paramref name="n"/> (the band drawn around a fitted line),
    /// or NaN at both ends with fewer than three points.
    /// </summary>
    public static (double Low, double High) MeanInterval(IReadOnlyList<(double N, double Y)> points, double n)
    {
        if (Noise(points) is not { } noise)
        {
            return (double.NaN, double.NaN);
        }
        double y = noise.Fit.Fixed + noise.Fit.Marginal * n;
        double se = noise.S * Math.Sqrt(1.0 / points.Count + (n - noise.MeanN) * (n - noise.MeanN) / noise.Sxx);
        return (y - noise.T * se, y + noise.T * se);
    }

    // The fit, the residuals' standard deviation, the mean and spread of n, and t at 0.975 for n - 2 degrees of
    // freedom.
    private static (LinearFit Fit, double S, double MeanN, double Sxx, double T)? Noise(IReadOnlyList<(double N, double Y)> points)
    {
        int n = points.Count;
        if (n < 3 || points.Select(p => p.N).Distinct().Count() < 2)
        {
            return null;
        }
        var fit = Through(points);
        double mx = points.Average(p => p.N);
        double sxx = points.Sum(p => (p.N - mx) * (p.N - mx));
        double ssRes = points.Sum(p => Math.Pow(p.Y - (fit.Fixed + fit.Marginal * p.N), 2));
        double t = n - 2 <= s_t975.Length ? s_t975[n - 3] : 1.96;
        return (fit, Math.Sqrt(ssRes / (n - 2)), mx, sxx, t);
    }
}
