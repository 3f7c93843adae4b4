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
                var marginals = group.Where(c => c.Fits.TryGetValue(metric, out var f) && !double.IsNaN(f.Marginal))
                    .ToDictionary(c => c.Backend, c => Math.Round(c.Fits[metric].Marginal, 6));
                if (marginals.Count == 0)
                {
                    continue;
                }
                findings.Add(new MapFinding(group.Key, metric, Verdict(marginals.Values.ToList()), marginals));
            }
        }
        return findings;
    }

    // Invariant when every vendor's cost per unit lies within 0.05 plus a quarter of the largest of them.
    internal static string Verdict(IReadOnlyList<double> marginals)
    {
        if (marginals.Count < 2)
        {
            return "single backend";
        }
        double spread = marginals.Max() - marginals.Min();
        double scale = marginals.Max(Math.Abs);
        return spread <= 0.05 + 0.25 * scale ? "invariant" : "vendor-sensitive";
    }
}
