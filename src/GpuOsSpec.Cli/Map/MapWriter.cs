using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GpuOsSpec.Cli.Map;

/// <summary>
/// Writes a map as map.json, map.md, map.html (tables and plots of cost against size) and plots/WORKLOAD.svg, one
/// figure per workload for papers and slides.
/// </summary>
internal static class MapWriter
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    internal static IReadOnlyList<string> WriteAll(MapModel map, string directory)
    {
        // The data first: a map that failed while drawing its figures still has its JSON.
        var written = ReportFiles.Write(directory, ("map.json", () => JsonSerializer.Serialize(map, ReportJson.Options)), ("map.md", () => Markdown(map)), ("map.html", () => Html(map)));
        var labels = Labels(map);
        string plots = Path.Combine(directory, "plots");
        foreach (var (workload, ok) in OkCellsByWorkload(map))
        {
            Directory.CreateDirectory(plots);
            string svg = Path.Combine(plots, workload + ".svg");
            File.WriteAllText(svg, MapPlots.Workload(workload, ok, labels));
            written.Add(svg);
        }
        return written;
    }

    internal static string Markdown(MapModel map)
    {
        var labels = Labels(map);
        var sb = new StringBuilder();
        sb.AppendLine("# GpuOsSpec interaction map").AppendLine();
        foreach (var m in map.Machines)
        {
            string backends = string.Join("; ", m.Backends.Select(b => $"{labels[b.Key]} = `{b.Key}`: {b.Device}, {b.Driver}"));
            sb.AppendLine(s_inv, $"- **{m.Name}**: Linux {m.Kernel}, {m.Cpus} CPUs, {m.Date}; {backends}");
        }
        sb.AppendLine();
        sb.AppendLine("Each figure is a marginal cost: the slope of the steady phase's count against the workload's size, per unit of size, for workload and GPU-runtime threads (fixed costs are in map.json). Each slope has a 95 % confidence interval from its runs (every size is repeated). A metric is *invariant* when every backend's interval lies within 0.05 plus a quarter of the largest slope, *vendor-sensitive* when two backends' intervals are disjoint and differ by more than that, and *unresolved* when the intervals cannot tell.").AppendLine();
        sb.AppendLine("## Findings").AppendLine();
        sb.AppendLine("| workload | invariant across vendors | vendor-sensitive | unresolved |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var g in map.Findings.GroupBy(f => f.Workload))
        {
            sb.AppendLine(s_inv, $"| {g.Key} | {string.Join(", ", g.Where(f => f.Verdict == "invariant").Select(f => f.Metric))} | {string.Join(", ", g.Where(f => f.Verdict == "vendor-sensitive").Select(f => f.Metric))} | {string.Join(", ", g.Where(f => f.Verdict == "unresolved").Select(f => f.Metric))} |");
        }
        sb.AppendLine();
        foreach (var workload in map.Cells.Select(c => c.Workload).Distinct())
        {
            var cells = map.Cells.Where(c => c.Workload == workload).ToList();
            sb.AppendLine(s_inv, $"## {workload}").AppendLine();
            var ok = cells.Where(c => c.Status == "ok").ToList();
            if (ok.Count > 0)
            {
                sb.AppendLine(s_inv, $"Per {ok[0].Unit}, sizes {Sizes(ok[0])}; each figure is the slope with its 95 % interval. ").AppendLine();
                sb.AppendLine(s_inv, $"![{workload}: cost against size for each metric](plots/{workload}.svg)").AppendLine();
                sb.AppendLine("| metric | " + string.Join(" | ", ok.Select(c => labels[c.Backend])) + " | verdict |");
                sb.AppendLine("| --- | " + string.Join(" | ", ok.Select(_ => "---:")) + " | --- |");
                foreach (string metric in MapModel.Metrics)
                {
                    string verdict = map.Findings.FirstOrDefault(f => f.Workload == workload && f.Metric == metric)?.Verdict ?? "";
                    sb.AppendLine(s_inv, $"| {metric} | {string.Join(" | ", ok.Select(c => Format(c, metric)))} | {verdict} |");
                }
                sb.AppendLine();
            }
            foreach (var c in cells.Where(c => c.Status != "ok"))
            {
                sb.AppendLine(s_inv, $"- {labels[c.Backend]}: {c.Status}: {c.Reason}");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }

    internal static string Html(MapModel map)
    {
        var labels = Labels(map);
        var sb = new StringBuilder();
        sb.AppendLine("<!doctype html><html><head><meta charset=\"utf-8\"><title>GpuOsSpec interaction map</title><style>");
        sb.AppendLine("body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}.vendor-sensitive{background:#fde2e2}.invariant{background:#e2f5e2}img.map-figure{width:100%;height:auto;border:1px solid #ddd}");
        sb.AppendLine("</style></head><body><h1>GpuOsSpec interaction map</h1><ul>");
        foreach (var m in map.Machines)
        {
            sb.AppendLine(s_inv, $"<li><b>{E(m.Name)}</b>: Linux {E(m.Kernel)}, {m.Cpus} CPUs, {E(m.Date)}: {E(string.Join("; ", m.Backends.Select(b => $"{labels[b.Key]} = {b.Key}: {b.Device}")))}</li>");
        }
        sb.AppendLine("</ul><p>Marginal costs per unit of workload size (slopes of the steady phase, with 95 % intervals), for workload and GPU-runtime threads. Each figure shows every run as a point and each backend's fitted line with its 95 % confidence band, on a logarithmic size axis. Green: invariant across vendors; red: vendor-sensitive; unmarked: unresolved.</p>");
        foreach (var workload in map.Cells.Select(c => c.Workload).Distinct())
        {
            var cells = map.Cells.Where(c => c.Workload == workload).ToList();
            var ok = cells.Where(c => c.Status == "ok").ToList();
            sb.AppendLine(s_inv, $"<h2>{E(workload)}</h2>");
            if (ok.Count > 0)
            {
                sb.AppendLine(s_inv, $"<p><a href=\"plots/{E(workload)}.svg\"><img class=\"map-figure\" src=\"plots/{E(workload)}.svg\" alt=\"{E(workload)}: cost against size for each metric\"></a></p>");
                sb.AppendLine(s_inv, $"<p>Sizes {E(Sizes(ok[0]))}.</p>");
                sb.AppendLine(s_inv, $"<table><tr><th>per {E(ok[0].Unit)}</th>{string.Concat(ok.Select(c => $"<th>{E(labels[c.Backend])}</th>"))}<th>verdict</th></tr>");
                foreach (string metric in MapModel.Metrics)
                {
                    string verdict = map.Findings.FirstOrDefault(f => f.Workload == workload && f.Metric == metric)?.Verdict ?? "";
                    sb.AppendLine(s_inv, $"<tr class=\"{verdict}\"><td>{E(metric)}</td>{string.Concat(ok.Select(c => $"<td>{E(Format(c, metric))}</td>"))}<td>{verdict}</td></tr>");
                }
                sb.AppendLine("</table>");
            }
            foreach (var c in cells.Where(c => c.Status != "ok"))
            {
                sb.AppendLine(s_inv, $"<p><b>{E(labels[c.Backend])}</b>: {E(c.Status)}: {E(c.Reason ?? "")}</p>");
            }
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    private static string Format(MapCell cell, string metric) =>
        cell.Fits.TryGetValue(metric, out var f) && !double.IsNaN(f.Marginal)
            ? Number(f.Marginal) + (double.IsNaN(f.MarginalLow) ? "" : $" [{Number(f.MarginalLow)}, {Number(f.MarginalHigh)}]")
            : "n/a";

    // Three significant digits; from 1,000 up a plain integer with separators ("1,100", never "1.1E+03").
    private static string Number(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("#,##0", s_inv) : value.ToString("G3", s_inv);

    /// <summary>
    /// How a backend is named in tables and legends: its vendor and target ("opencl-nvidia (opencl:1)", or "cuda" where
    /// the two are the same), with the machine in front when the map holds several. A cell whose backend no machine
    /// lists keeps its key.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> Labels(MapModel map)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in map.Machines)
        {
            foreach (var b in m.Backends)
            {
                labels[b.Key] = (map.Machines.Count > 1 ? $"{m.Name}: " : "") + (b.Vendor == b.Target ? b.Vendor : $"{b.Vendor} ({b.Target})");
            }
        }
        foreach (var c in map.Cells.Where(c => !labels.ContainsKey(c.Backend)))
        {
            labels[c.Backend] = c.Backend;
        }
        return labels;
    }

    private static IEnumerable<(string Workload, List<MapCell> Ok)> OkCellsByWorkload(MapModel map) =>
        map.Cells.Select(c => c.Workload).Distinct()
            .Select(w => (w, map.Cells.Where(c => c.Workload == w && c.Status == "ok" && c.Points.Count > 0).ToList()))
            .Where(x => x.Item2.Count > 0 && MapPlots.Measured(x.Item2).Count > 0);

    // Sizes as plain numbers with thousands separators ("16,000", never "1.6E+04"), each once.
    private static string Sizes(MapCell cell) =>
        string.Join(", ", cell.Points.Select(p => p.Size).Distinct().Order().Select(s => s.ToString("#,##0.###", s_inv)));

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
