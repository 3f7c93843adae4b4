namespace GpuOsSpec.Tracing.Statistics;

/// <summary>
/// A median with a distribution-free confidence interval from order statistics: the ranks k and n-k+1 where the
/// binomial(n, 1/2) tail below k is at most 2.5 %. With 5 repetitions that is the minimum and the maximum, a 93.8 %
/// interval; the coverage actually reached is carried along and printed.
/// </summary>
/// <param name="Median">The median.</param>
/// <param name="Low">The interval's lower end.</param>
/// <param name="High">Its upper end.</param>
/// <param name="Coverage">The interval's coverage, 0 to 1.</param>
/// <param name="Samples">The repetitions.</param>
public sealed record MedianInterval(double Median, double Low, double High, double Coverage, int Samples)
{
    /// <summary>The median of <paramref name="values"/> with its interval.</summary>
    /// <exception cref="ArgumentException">When there is no value.</exception>
    public static MedianInterval Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No repetition to summarize.", nameof(values));
        }
        ArgumentNullException.ThrowIfNull(values);
        var x = values.Order().ToArray();
        int n = x.Length;
        double median = Statistics.Median.Of(x);
        // The largest k with P(B < k) <= 0.025, at least 1: coverage = 1 - 2 P(B < k).
        int k = 1;
        while (k + 1 <= n / 2 && BelowCdf(n, k + 1) <= 0.025)
        {
            k++;
        }
        double coverage = 1 - 2 * BelowCdf(n, k);
        return new MedianInterval(median, x[k - 1], x[n - k], coverage, n);
    }

    // P(B < k) for B ~ Binomial(n, 1/2).
    private static double BelowCdf(int n, int k)
    {
        double sum = 0;
        double c = 1;
        for (int i = 0; i < k; i++)
        {
            sum += c;
            c = c * (n - i) / (i + 1);
        }
        return sum / Math.Pow(2, n);
    }
}
