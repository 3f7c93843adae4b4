using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GpuOsSpec.Cli.Map;

/// <summary>Writes a map as map.json, map.md and map.html (tables and, in HTML, plots of cost against size).</summary>
internal static class MapWriter
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new NullForNaN() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Reading a map: a missing field or a null where the model has none is a JsonException naming the path,
        // not a NullReferenceException later.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;
    private static readonly string[] s_colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    internal static IReadOnlyList<string> WriteAll(MapModel map, string directory)
    {
        Directory.CreateDirectory(directory);
        string json = Path.Combine(directory, "map.json");
        string md = Path.Combine(directory, "map.md");
        string html = Path.Combine(directory, "map.html");
        File.WriteAllText(json, JsonSerializer.Serialize(map, Json));
        File.WriteAllText(md, Markdown(map));
        File.WriteAllText(html, Html(map));
        return [md, json, html];
    }

    internal static string Markdown(MapModel map)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# GpuOsSpec interaction map").AppendLine();
        foreach (var m in map.Machines)
        {
            string backends = string.Join("; ", m.Backends.Select(b => $"`{b.Key}` = {b.Vendor} ({b.Device}, {b.Driver})"));
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
                sb.AppendLine(s_inv, $"Per {ok[0].Unit}, sizes {string.Join(", ", ok[0].Points.Select(p => p.Size.ToString("G4", s_inv)))}.").AppendLine();
                sb.AppendLine("| metric | " + string.Join(" | ", ok.Select(c => $"`{c.Backend}`")) + " | verdict |");
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
                sb.AppendLine(s_inv, $"- `{c.Backend}`: {c.Status}: {c.Reason}");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }

    internal static string Html(MapModel map)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<!doctype html><html><head><meta charset=\"utf-8\"><title>GpuOsSpec interaction map</title><style>");
        sb.AppendLine("body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}.vendor-sensitive{background:#fde2e2}.invariant{background:#e2f5e2}svg{background:#fafafa;border:1px solid #ddd}");
        sb.AppendLine("</style></head><body><h1>GpuOsSpec interaction map</h1><ul>");
        foreach (var m in map.Machines)
        {
            sb.AppendLine(s_inv, $"<li><b>{E(m.Name)}</b>: Linux {E(m.Kernel)}, {m.Cpus} CPUs, {E(m.Date)}: {E(string.Join("; ", m.Backends.Select(b => $"{b.Key} = {b.Vendor} ({b.Device})")))}</li>");
        }
        sb.AppendLine("</ul><p>Marginal costs per unit of workload size (slopes of the steady phase), for workload and GPU-runtime threads. Green: invariant across vendors; red: vendor-sensitive.</p>");
        foreach (var workload in map.Cells.Select(c => c.Workload).Distinct())
        {
            var cells = map.Cells.Where(c => c.Workload == workload).ToList();
            var ok = cells.Where(c => c.Status == "ok").ToList();
            sb.AppendLine(s_inv, $"<h2>{E(workload)}</h2>");
            if (ok.Count > 0)
            {
                sb.AppendLine(Plot(ok, "syscalls")).AppendLine(Plot(ok, "wall us"));
                sb.AppendLine(s_inv, $"<table><tr><th>per {E(ok[0].Unit)}</th>{string.Concat(ok.Select(c => $"<th>{E(c.Backend)}</th>"))}<th>verdict</th></tr>");
                foreach (string metric in MapModel.Metrics)
                {
                    string verdict = map.Findings.FirstOrDefault(f => f.Workload == workload && f.Metric == metric)?.Verdict ?? "";
                    sb.AppendLine(s_inv, $"<tr class=\"{verdict}\"><td>{E(metric)}</td>{string.Concat(ok.Select(c => $"<td>{E(Format(c, metric))}</td>"))}<td>{verdict}</td></tr>");
                }
                sb.AppendLine("</table>");
            }
            foreach (var c in cells.Where(c => c.Status != "ok"))
            {
                sb.AppendLine(s_inv, $"<p><b>{E(c.Backend)}</b>: {E(c.Status)}: {E(c.Reason ?? "")}</p>");
            }
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    // A line per backend of a metric against size, with axes and a legend, as inline SVG.
    private static string Plot(IReadOnlyList<MapCell> cells, string metric)
    {
        const int w = 520, h = 260, left = 60, right = 170, top = 20, bottom = 40;
        var series = cells.Select(c => (c.Backend, Points: c.Points.Where(p => p.Metrics.TryGetValue(metric, out double v) && !double.IsNaN(v)).Select(p => (p.Size, Value: p.Metrics[metric])).ToList())).ToList();
        var all = series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0)
        {
            return "";
        }
        double maxX = all.Max(p => p.Size), maxY = Math.Max(1, all.Max(p => p.Value));
        double X(double x) => left + x / maxX * (w - left - right);
        double Y(double y) => h - bottom - y / maxY * (h - top - bottom);
        var sb = new StringBuilder();
        sb.Append(s_inv, $"<svg width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{E(metric)} against size\">");
        sb.Append(s_inv, $"<line x1=\"{left}\" y1=\"{h - bottom}\" x2=\"{w - right}\" y2=\"{h - bottom}\" stroke=\"#333\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{h - bottom}\" stroke=\"#333\"/>");
        sb.Append(s_inv, $"<text x=\"{left}\" y=\"{h - 8}\" font-size=\"11\">0</text><text x=\"{w - right - 40}\" y=\"{h - 8}\" font-size=\"11\">{maxX:G4}</text>");
        sb.Append(s_inv, $"<text x=\"4\" y=\"{top + 8}\" font-size=\"11\">{maxY:G4}</text><text x=\"4\" y=\"{h / 2}\" font-size=\"11\">{E(metric)}</text>");
        for (int i = 0; i < series.Count; i++)
        {
            string colour = s_colours[i % s_colours.Length];
            var pts = series[i].Points.OrderBy(p => p.Size).ToList();
            sb.Append(s_inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', pts.Select(p => $"{X(p.Size):F1},{Y(p.Value):F1}"))}\"/>");
            foreach (var p in pts)
            {
                sb.Append(s_inv, $"<circle cx=\"{X(p.Size):F1}\" cy=\"{Y(p.Value):F1}\" r=\"3\" fill=\"{colour}\"><title>{E(series[i].Backend)}: {p.Value:G4} at {p.Size:G4}</title></circle>");
            }
            sb.Append(s_inv, $"<rect x=\"{w - right + 10}\" y=\"{top + i * 16}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{w - right + 24}\" y=\"{top + 9 + i * 16}\" font-size=\"11\">{E(series[i].Backend)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Format(MapCell cell, string metric) =>
        cell.Fits.TryGetValue(metric, out var f) && !double.IsNaN(f.Marginal)
            ? f.Marginal.ToString("G3", s_inv) + (double.IsNaN(f.MarginalLow) ? "" : $" [{f.MarginalLow.ToString("G3", s_inv)}, {f.MarginalHigh.ToString("G3", s_inv)}]")
            : "n/a";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
