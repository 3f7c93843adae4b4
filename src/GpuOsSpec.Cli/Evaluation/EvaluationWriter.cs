using System.Globalization;
using System.Text;
using System.Text.Json;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace GpuOsSpec.Cli.Evaluation;

/// <summary>Writes an evaluation as Markdown, JSON (schema gpuosspec.evaluation/1) and HTML with a plot per
/// metric.</summary>
internal static class EvaluationWriter
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    internal static IReadOnlyList<string> WriteAll(EvaluationModel model, string folder) =>
        ReportFiles.Write(folder, ("evaluation.md", () => Markdown(model)), ("evaluation.json", () => Json(model)), ("evaluation.html", () => Html(model)));

    /// <summary>The evaluation as evaluation.json holds it.</summary>
    internal static string Json(EvaluationModel model) => JsonSerializer.Serialize(model, Reports.ReportJson.Options);

    /// <summary>Reads an evaluation.json.</summary>
    /// <exception cref="InvalidDataException">When it is not an evaluation
    /// of this schema; the message names <paramref name="file"/> and what is wrong.</exception>
    internal static EvaluationModel Read(string file)
    {
        EvaluationModel? model;
        try
        {
            model = JsonSerializer.Deserialize<EvaluationModel>(File.ReadAllText(file), Reports.ReportJson.Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file} is not an evaluation (evaluation.json from gpuosspec evaluate): {ex.Message}");
        }
        if (model is null || model.Schema != EvaluationModel.CurrentSchema)
        {
            throw new InvalidDataException($"{file} has schema \"{model?.Schema}\"; this gpuosspec renders \"{EvaluationModel.CurrentSchema}\" only.");
        }
        return model;
    }

    private static string F(MedianInterval? i) => i is null ? "n/a" : string.Create(s_inv, $"{i.Median:G4} [{i.Low:G4}, {i.High:G4}]");

    internal static string Markdown(EvaluationModel m)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# gpuos against native execution");
        sb.AppendLine();
        sb.AppendLine(s_inv, $"Machine {m.Machine}, Linux {m.Kernel}, NVIDIA driver {m.Driver ?? "none loaded"}, {m.Date}; {m.Repeats} runs per configuration{(m.Quick ? " (--quick)" : "")}.");
        sb.AppendLine(s_inv, $"Each figure is the median over runs with a distribution-free interval from order statistics ({(m.Cases.FirstOrDefault(c => c.Native is not null)?.Native?.Coverage ?? 0):P1} coverage at {m.Repeats} runs).");
        sb.AppendLine("A verdict of better or worse is given only where the two intervals do not overlap; lower is better for every metric.");
        sb.AppendLine();
        foreach (var group in m.Cases.GroupBy(c => c.Target))
        {
            sb.AppendLine(s_inv, $"## {group.Key} ({group.First().Vendor})");
            sb.AppendLine();
            sb.AppendLine("| policy | metric | native | gpuos | verdict |");
            sb.AppendLine("| --- | --- | ---: | ---: | --- |");
            foreach (var c in group)
            {
                sb.AppendLine(s_inv, $"| {c.Policy} | {c.Metric} ({c.Unit}) | {F(c.Native)} | {F(c.GpuOs)} | {(c.Verdict == "worse" ? "**worse**" : c.Verdict)}{(c.Note is null ? "" : $" ({c.Note})")} |");
            }
            sb.AppendLine();
        }
        var worse = m.Cases.Where(c => c.Verdict == "worse").ToList();
        sb.AppendLine("## Where gpuos is worse");
        sb.AppendLine();
        sb.AppendLine(worse.Count == 0 ? "No case: every interval overlaps or favours gpuos." : string.Join(Environment.NewLine, worse.Select(c => $"- {c.Target}, {c.Policy}: {c.Metric} {F(c.GpuOs)} against {F(c.Native)} natively.")));
        sb.AppendLine();
        sb.AppendLine("## Inference limits: phases from OS signals alone");
        sb.AppendLine();
        sb.AppendLine("The adaptive gpuos runs of sync-mode, cut into 1 ms bins; a boundary where the mix of syscall roles, switches and faults changes, or activity starts or stops; scored against the gpuos markers' top-level phases (setup, steady, teardown of each run). \"No boundary\" is the share a guess that puts everything in the most common phase gets.");
        sb.AppendLine();
        sb.AppendLine("| backend | true boundaries | inferred | median boundary error | syscalls in the right phase | no boundary |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var i in m.Inference ?? [])
        {
            var s = i.Score;
            sb.AppendLine(s_inv, $"| {i.Target} ({i.Vendor}) | {s.TrueBoundaries} | {s.InferredBoundaries} | {(s.MedianBoundaryErrorNs is { } e ? $"{e / 1e6:F2} ms" : "n/a")} | {(s.RightPhaseShare is { } r ? $"{r:P1}" : "n/a")} of {s.Syscalls:N0} | {(s.TrivialShare is { } tr ? $"{tr:P1}" : "n/a")} |");
        }
        if (m.Inference is null)
        {
            sb.AppendLine("| none | | | | | not recorded: this evaluation was made before evaluate scored inference |");
        }
        else if (m.Inference.Count == 0)
        {
            sb.AppendLine("| none | | | | | no marked run was traced (libgpuos absent?) |");
        }
        sb.AppendLine();
        sb.AppendLine("## Checks");
        sb.AppendLine();
        foreach (string check in m.Checks)
        {
            sb.AppendLine(s_inv, $"- {check}");
        }
        if (m.Notes.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Notes");
            sb.AppendLine();
            foreach (string note in m.Notes)
            {
                sb.AppendLine(s_inv, $"- {note}");
            }
        }
        return sb.ToString();
    }

    private static string Html(EvaluationModel m)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<!doctype html><html><head><meta charset=\"utf-8\"><title>gpuos evaluation</title>");
        sb.AppendLine("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}</style></head><body>");
        sb.AppendLine("<h1>gpuos against native execution</h1>");
        sb.AppendLine(s_inv, $"<p>{System.Net.WebUtility.HtmlEncode($"{m.Machine}, driver {m.Driver ?? "n/a"}, {m.Date}, {m.Repeats} runs per configuration. Bars: the interval; tick: the median.")}</p>");
        int plot = 0;
        foreach (var metric in m.Cases.GroupBy(c => c.Metric))
        {
            sb.AppendLine(s_inv, $"<h2>{System.Net.WebUtility.HtmlEncode(metric.Key)}</h2>");
            // Each plot's ids are its own: OxyPlot numbers every plot's clip paths from 1.
            sb.AppendLine(Reports.SvgPlot.Embeddable(Plot(metric.Key, metric.First().Unit, metric.ToList()), $"e{plot++}-"));
        }
        sb.AppendLine("<pre>" + System.Net.WebUtility.HtmlEncode(Markdown(m)) + "</pre></body></html>");
        return sb.ToString();
    }

    // One row per configuration (target, policy, native/gpuos): the interval as a bar, the median as a thin bar.
    private static string Plot(string metric, string unit, IReadOnlyList<EvaluationCase> cases)
    {
        var model = new PlotModel { Title = metric, Background = OxyColors.White };
        var categories = new CategoryAxis { Position = AxisPosition.Left, Title = "configuration", GapWidth = 0.3 };
        var value = new LinearAxis
        {
            Position = AxisPosition.Bottom, Title = $"{metric} ({unit})", MajorGridlineStyle = LineStyle.Solid, MinorGridlineStyle = LineStyle.Dot,
        };
        // No bar labels: the default label format asks for more arguments than OxyPlot 2.2 gives an interval bar, and
        // rendering stopped at the first bar (the figures are in the tables beside the plot).
        var intervals = new IntervalBarSeries { Title = "interval", FillColor = OxyColor.FromAColor(120, OxyColors.SteelBlue), LabelFormatString = null };
        var medians = new IntervalBarSeries { Title = "median", FillColor = OxyColors.Black, LabelFormatString = null };
        int row = 0;
        foreach (var c in cases)
        {
            foreach (var (side, iv) in new[] { ("native", c.Native), ("gpuos", c.GpuOs) })
            {
                // The vendor names the row ("opencl-nvidia (opencl:1)"), as in the map; a target that is its own vendor
                // once.
                categories.Labels.Add($"{(c.Vendor == c.Target ? c.Target : $"{c.Vendor} ({c.Target})")} {c.Policy.Split(' ')[0]} {side}");
                if (iv is not null)
                {
                    double width = Math.Max((iv.High - iv.Low) / 100, Math.Abs(iv.Median) / 500 + 1e-9);
                    intervals.Items.Add(new IntervalBarItem(iv.Low, iv.High) { CategoryIndex = row });
                    medians.Items.Add(new IntervalBarItem(iv.Median - width, iv.Median + width) { CategoryIndex = row });
                }
                row++;
            }
        }
        model.Axes.Add(categories);
        model.Axes.Add(value);
        model.Series.Add(intervals);
        model.Series.Add(medians);
        return Reports.SvgPlot.Export(model, 900, 80 + 22 * row);
    }
}
