namespace GpuOsSpec.Cli.Map;

/// <summary>
/// Marks each (workload, metric) invariant across vendors or sensitive to them, from the marginal costs of the cells
/// that ran. Cells from different machines are compared side by side, never averaged.
/// </summary>
internal static class MapFindings
{
    internal static IReadOnlyList<MapFinding> Of(IReadOnlyList<MapCell> cells)
    {
        var findings = new List<MapFinding>();
        foreach (var group in cells.Where(c => c.Status == "ok").GroupBy(c => c.Workload))
        {
            foreach (string metric in MapModel.Metrics.Where(m => m != "wall us"))
            {
                var fits = group.Where(c => c.Fits.TryGetValue(metric, out var f) && !double.IsNaN(f.Marginal)).ToDictionary(c => c.Backend, c => c.Fits[metric]);
                if (fits.Count == 0)
                {
                    continue;
                }
                var marginals = fits.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value.Marginal, 6));
                findings.Add(new MapFinding(group.Key, metric, Verdict(fits.Values.Select(f => (f.Marginal, f.MarginalLow, f.MarginalHigh)).ToList()), marginals));
            }
        }
        return findings;
    }

    /// <summary>
    /// With each slope's confidence interval: vendor-sensitive when two backends' intervals are disjoint and their
    /// slopes differ by more than the tolerance; invariant when every interval lies within the tolerance (0.05 plus a
    /// quarter of the largest slope) of every other slope; otherwise unresolved: the runs cannot tell.
    /// </summary>
    internal static string Verdict(IReadOnlyList<(double Marginal, double Low, double High)> fits)
    {
        if (fits.Count < 2)
        {
            return "single backend";
        }
        if (fits.Any(f => double.IsNaN(f.Low) || double.IsNaN(f.High)))
        {
            return "unresolved";
        }
        double tolerance = 0.05 + 0.25 * fits.Max(f => Math.Abs(f.Marginal));
        bool disjoint = fits.Any(a => fits.Any(b => a.High < b.Low && b.Marginal - a.Marginal > tolerance));
        if (disjoint)
        {
            return "vendor-sensitive";
        }
        bool close = fits.Max(f => f.High) - fits.Min(f => f.Low) <= tolerance;
        return close ? "invariant" : "unresolved";
    }
}
