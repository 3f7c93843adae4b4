namespace GpuOsSpec.Tracing.Statistics;

/// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
public static class Median
{
    /// <summary>The median of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">When there is no value.</exception>
    public static double Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var x = values.Order().ToArray();
        if (x.Length == 0)
        {
            throw new ArgumentException("The median of no value is not defined.", nameof(values));
        }
        int n = x.Length;
        return n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
    }
}
