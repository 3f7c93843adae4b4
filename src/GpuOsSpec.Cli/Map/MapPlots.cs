using System.Globalization;
using System.Text;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace GpuOsSpec.Cli.Map;

/// <summary>
/// The map's figures, drawn with OxyPlot (MIT, SVG without native code): for each workload, one panel per measured
/// metric with every run as a point, each backend's fitted line and its 95 % confidence band, on a logarithmic size
/// axis (the sizes are geometric), gridlines and titled axes with units.
/// </summary>
internal static class MapPlots
{
    internal const int PanelWidth = 460;
    internal const int PanelHeight = 340;
    internal const int Columns = 3;
    private const int TitleHeight = 34;
    private const int LegendColumns = 3;
    private const int LegendRow = 20;

    /// <summary>The colours of the backends, in order; a screenshot check looks for them.</summary>
    internal static IReadOnlyList<OxyColor> Colours { get; } =
    [
        OxyColor.FromRgb(0x1f, 0x77, 0xb4), OxyColor.FromRgb(0xd6, 0x27, 0x28), OxyColor.FromRgb(0x2c, 0xa0, 0x2c), OxyColor.FromRgb(0x94, 0x67, 0xbd),
        OxyColor.FromRgb(0xff, 0x7f, 0x0e), OxyColor.FromRgb(0x8c, 0x56, 0x4b), OxyColor.FromRgb(0xe3, 0x77, 0xc2), OxyColor.FromRgb(0x17, 0xbe, 0xcf),
    ];

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>The metrics of <paramref name="cells"/> with at least one measured point, in the map's order.</summary>
    internal static IReadOnlyList<string> Measured(IReadOnlyList<MapCell> cells) =>
        MapModel.Metrics.Where(m => cells.Any(c => c.Points.Any(p => p.Metrics.TryGetValue(m, out double v) && !double.IsNaN(v)))).ToList();

    /// <summary>
    /// One standalone SVG document for a workload: a grid of panels, one per measured metric, under a title.
    /// </summary>
    internal static string Workload(string workload, IReadOnlyList<MapCell> cells, IReadOnlyDictionary<string, string> labels)
    {
        var metrics = Measured(cells);
        int rows = (metrics.Count + Columns - 1) / Columns;
        int legendRows = (cells.Count + LegendColumns - 1) / LegendColumns;
        int width = Columns * PanelWidth, top = TitleHeight + 8 + legendRows * LegendRow, height = top + rows * PanelHeight;
        var sb = new StringBuilder();
        sb.AppendLine("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>");
        // The viewBox lets a page scale the figure to its width; the width and height keep the file's own size.
        sb.Append(s_inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" class=\"map-figure\" role=\"img\" aria-label=\"{Esc(workload)}: cost against size\">");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        sb.Append(s_inv, $"<text x=\"12\" y=\"24\" font-family=\"Arial, sans-serif\" font-size=\"18\" font-weight=\"bold\">{Esc(workload)}: steady-phase cost against size, each run a point, each backend's fitted line with its 95 % band</text>");
        // One legend for the figure: every panel draws the backends in the same colours.
        for (int b = 0; b < cells.Count; b++)
        {
            var c = Colours[b % Colours.Count];
            string colour = $"#{c.R:x2}{c.G:x2}{c.B:x2}";
            double x = 12 + b % LegendColumns * (width - 24) / (double)LegendColumns, y = TitleHeight + 6 + b / LegendColumns * LegendRow;
            string label = labels.TryGetValue(cells[b].Backend, out string? l) ? l : cells[b].Backend;
            sb.Append(s_inv, $"<g class=\"legend\"><line x1=\"{x:F0}\" y1=\"{y + 7:F0}\" x2=\"{x + 24:F0}\" y2=\"{y + 7:F0}\" stroke=\"{colour}\" stroke-width=\"3\"/><circle cx=\"{x + 12:F0}\" cy=\"{y + 7:F0}\" r=\"3.5\" fill=\"{colour}\"/><text x=\"{x + 30:F0}\" y=\"{y + 12:F0}\" font-family=\"Arial, sans-serif\" font-size=\"14\">{Esc(label)}</text></g>");
        }
        for (int i = 0; i < metrics.Count; i++)
        {
            var model = Panel(metrics[i], cells, labels);
            string panel = Reports.SvgPlot.Embeddable(Reports.SvgPlot.Export(model, PanelWidth, PanelHeight), $"p{i}-");
            sb.Append(s_inv, $"<g class=\"panel\" data-metric=\"{Esc(metrics[i])}\" transform=\"translate({i % Columns * PanelWidth},{top + i / Columns * PanelHeight})\">{panel}</g>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>One metric against size: points, fitted line and band for each backend.</summary>
    internal static PlotModel Panel(string metric, IReadOnlyList<MapCell> cells, IReadOnlyDictionary<string, string> labels)
    {
        // The figure carries one legend for all panels, so a panel has none.
        var model = new PlotModel { Title = metric, TitleFontSize = 14, Background = OxyColors.White, DefaultFont = "Arial", IsLegendVisible = false };
        model.Axes.Add(new LogarithmicAxis
        {
            Position = AxisPosition.Bottom, Title = "size", Unit = cells[0].Unit + ", log scale",
            MajorGridlineStyle = LineStyle.Solid, MajorGridlineColor = OxyColor.FromRgb(0xdd, 0xdd, 0xdd),
            MinorGridlineStyle = LineStyle.Dot, MinorGridlineColor = OxyColor.FromRgb(0xee, 0xee, 0xee),
            TickStyle = TickStyle.Outside, LabelFormatter = Tick,
        });
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Left, Title = metric == "wall us" ? "wall time" : metric, Unit = MetricUnit(metric),
            MajorGridlineStyle = LineStyle.Solid, MajorGridlineColor = OxyColor.FromRgb(0xdd, 0xdd, 0xdd),
            MinorGridlineStyle = LineStyle.Dot, MinorGridlineColor = OxyColor.FromRgb(0xee, 0xee, 0xee),
            TickStyle = TickStyle.Outside, LabelFormatter = Tick, MaximumPadding = 0.08, MinimumPadding = 0.05, AxisTitleDistance = 16,
        });
        for (int i = 0; i < cells.Count; i++)
        {
            var colour = Colours[i % Colours.Count];
            var cell = cells[i];
            string label = labels.TryGetValue(cell.Backend, out string? l) ? l : cell.Backend;
            var xy = cell.Points.Where(p => p.Metrics.TryGetValue(metric, out double v) && !double.IsNaN(v)).Select(p => (p.Size, Value: p.Metrics[metric])).ToList();
            if (xy.Count == 0)
            {
                continue;
            }
            var points = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = colour };
            points.Points.AddRange(xy.Select(p => new ScatterPoint(p.Size, p.Value)));
            if (xy.Select(p => p.Size).Distinct().Count() < 2)
            {
                // One size: no line can be drawn, and the points say so by standing alone.
                model.Series.Add(points);
                continue;
            }
            var fit = LinearFit.Through(xy);
            double lo = xy.Min(p => p.Size), hi = xy.Max(p => p.Size);
            // A straight line is curved on a log axis, so it is drawn through many sizes, spaced evenly in log(size).
            var sizes = Enumerable.Range(0, 41).Select(k => lo * Math.Pow(hi / lo, k / 40.0)).ToList();
            var band = new AreaSeries { Fill = OxyColor.FromAColor(50, colour), Color = OxyColors.Transparent, Color2 = OxyColors.Transparent, RenderInLegend = false };
            foreach (double x in sizes)
            {
                var (low, high) = LinearFit.MeanInterval(xy, x);
                if (!double.IsNaN(low))
                {
                    band.Points.Add(new DataPoint(x, high));
                    band.Points2.Add(new DataPoint(x, low));
                }
            }
            var line = new LineSeries { Title = label, Color = colour, StrokeThickness = 2 };
            line.Points.AddRange(sizes.Select(x => new DataPoint(x, fit.Fixed + fit.Marginal * x)));
            if (band.Points.Count > 0)
            {
                model.Series.Add(band);
            }
            model.Series.Add(line);
            model.Series.Add(points);
        }
        return model;
    }

    // Tick labels as plain numbers ("16,000", "400,000"), never "1E+04"; only tiny values keep an exponent.
    internal static string Tick(double value) =>
        value == 0 || Math.Abs(value) >= 1e-3 ? value.ToString("#,##0.###", s_inv) : value.ToString("G3", s_inv);

    /// <summary>What one unit of a metric's axis is.</summary>
    internal static string MetricUnit(string metric) => metric switch
    {
        "wall us" => "µs per run",
        "voluntary switches" or "involuntary switches" => "switches per run",
        "minor faults" or "major faults" => "faults per run",
        _ => "syscalls per run",
    };

    private static string Esc(string text) => System.Security.SecurityElement.Escape(text);
}
