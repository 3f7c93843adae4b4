using System.Diagnostics;
using System.Xml.Linq;
using GpuOsSpec.Cli.Map;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;
using StbImageSharp;

namespace GpuOsSpec.Cli.Tests.Map;

public class MapPlotTests
{
    // launch-storm on two backends at three sizes, each run twice: syscalls grow 2 per launch on one, 0.01 on the
    // other; major faults were never measured.
    private static MapModel Synthetic()
    {
        var cells = new List<MapCell>();
        var backends = new List<MapBackend>();
        foreach (var (target, vendor, slope) in new[] { ("cuda", "cuda", 2.0), ("opencl:1", "opencl-nvidia", 0.01) })
        {
            string key = $"test/{target}";
            backends.Add(new MapBackend(key, target, vendor, "dev", "drv"));
            var points = new List<MapPoint>();
            foreach (double size in new[] { 100.0, 1_000.0, 10_000.0 })
            {
                foreach (double noise in new[] { -1.0, 1.0 })
                {
                    var metrics = MapModel.Metrics.ToDictionary(m => m, m => m == "major faults" ? double.NaN : 5 + slope * size + noise);
                    points.Add(new MapPoint(size, metrics));
                }
            }
            cells.Add(new MapCell("launch-storm", key, "launch", "ok", null, points, new Dictionary<string, MapFit>()));
        }
        return new MapModel(MapModel.CurrentSchema, [new MapMachine("test", "6.18", 2, "2026-12-02", backends)], cells, MapFindings.Of(cells));
    }

    [Fact]
    public void A_panel_has_titled_axes_with_units_a_log_size_axis_gridlines_and_a_line_a_band_and_points_per_backend()
    {
        var map = Synthetic();

        var panel = MapPlots.Panel("syscalls", map.Cells, MapWriter.Labels(map));

        var x = panel.Axes.OfType<LogarithmicAxis>().Should().ContainSingle("the sizes are geometric").Subject;
        x.Position.Should().Be(AxisPosition.Bottom);
        x.Title.Should().Be("size");
        x.Unit.Should().Contain("launch");
        var y = panel.Axes.OfType<LinearAxis>().Should().ContainSingle().Subject;
        y.Title.Should().Be("syscalls");
        y.Unit.Should().Be("syscalls per run");
        panel.Axes.Should().OnlyContain(a => a.MajorGridlineStyle != LineStyle.None && a.TickStyle != TickStyle.None);
        // AreaSeries derives from LineSeries: the fitted lines are the line series that are not bands.
        var lines = panel.Series.OfType<LineSeries>().Where(s => s is not AreaSeries).ToList();
        lines.Select(s => s.Title).Should().Equal("cuda", "opencl-nvidia (opencl:1)"); // a vendor is named once where it is its own target
        panel.Series.OfType<AreaSeries>().Should().HaveCount(2, "each fitted line has its confidence band");
        panel.Series.OfType<ScatterSeries>().Should().OnlyContain(s => s.Points.Count == 6, "every run is a point");
        var cudaLine = lines[0];
        cudaLine.Points[^1].X.Should().Be(10_000);
        cudaLine.Points[^1].Y.Should().BeApproximately(5 + 2 * 10_000, 1e-6, "the line is the least-squares fit");
        var band = panel.Series.OfType<AreaSeries>().First();
        band.Points.Zip(band.Points2).Should().OnlyContain(p => p.First.Y > p.Second.Y, "the band has width where the runs disagree");
    }

    [Fact]
    public void A_figure_has_a_panel_for_every_measured_metric_and_none_for_an_unmeasured_one()
    {
        var map = Synthetic();

        string svg = MapPlots.Workload("launch-storm", map.Cells, MapWriter.Labels(map));

        var panels = XDocument.Parse(svg).Descendants().Where(e => e.Attribute("class")?.Value == "panel").Select(e => e.Attribute("data-metric")!.Value);
        panels.Should().Equal(MapModel.Metrics.Where(m => m != "major faults"));
    }

    [Fact]
    public void A_figure_is_one_well_formed_svg_document_whose_ids_are_unique()
    {
        var map = Synthetic();

        string svg = MapPlots.Workload("launch-storm", map.Cells, MapWriter.Labels(map));

        // OxyPlot writes an XML declaration even for a fragment, and numbers each plot's clip paths from 1: either,
        // left in, breaks the figure (a declaration inside a document stops the rendering; a repeated id clips later
        // panels to the first one's rectangles).
        var doc = XDocument.Parse(svg);
        var ids = doc.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
        ids.Should().OnlyHaveUniqueItems().And.NotBeEmpty();
        svg.Should().Contain("size [launch, log scale]").And.Contain("syscalls [syscalls per run]");
    }

    [Fact]
    public void Tables_and_legends_name_the_vendor_and_sizes_are_plain_numbers()
    {
        string md = MapWriter.Markdown(Synthetic());

        md.Should().Contain("| metric | cuda | opencl-nvidia (opencl:1) | verdict |");
        md.Should().Contain("sizes 100, 1,000, 10,000;").And.NotContain("E+0");
        md.Should().Contain("![launch-storm: cost against size for each metric](plots/launch-storm.svg)");
    }

    [Fact]
    public void A_plot_that_fails_to_render_is_an_error_never_an_image_of_the_exception()
    {
        // OxyPlot 2.2 draws "OxyPlot exception" into the image when a bar's default label format does not fit.
        var model = new PlotModel { Title = "intervals" };
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, Labels = { "a", "b" } });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom });
        var bars = new IntervalBarSeries { LabelFormatString = "{5}" };
        bars.Items.Add(new IntervalBarItem(1, 2) { CategoryIndex = 0 });
        model.Series.Add(bars);

        var export = () => GpuOsSpec.Cli.Reports.SvgPlot.Export(model, 400, 200);

        export.Should().Throw<InvalidOperationException>().WithMessage("The plot \"intervals\" did not render: *");
    }

    [SkippableFact]
    public void Headless_chromium_renders_the_maps_plots_with_lines_points_and_gridlines()
    {
        string? chromium = Chromium();
        if (chromium is null)
        {
            GpuOsSpec.Tracing.Tests.Support.Requires.Missing("chromium", "chromium is not installed (apt-get install chromium); the screenshot check needs it.");
        }
        string dir = Path.Combine(Path.GetTempPath(), $"gpuosspec-map-shot-{Guid.NewGuid():N}");
        MapWriter.WriteAll(Synthetic(), dir);
        string png = Path.Combine(dir, "map.png");

        Screenshot(chromium!, Path.Combine(dir, "map.html"), png, dir);

        var image = ImageResult.FromMemory(File.ReadAllBytes(png), ColorComponents.RedGreenBlue);
        // A plot that did not render (an <img> that failed to load, an SVG that stopped at an error) leaves none of
        // the backends' colours on the page; one that did shows each in its lines, bands and points across 11 panels.
        // 300 pixels is a few percent of what a rendered figure shows at this width, and far above anti-aliasing noise.
        foreach (var colour in MapPlots.Colours.Take(2))
        {
            Count(image, colour.R, colour.G, colour.B, 24).Should().BeGreaterThan(300, $"the series in #{colour.R:x2}{colour.G:x2}{colour.B:x2} should be drawn (screenshot: {png})");
        }
        Count(image, 0xdd, 0xdd, 0xdd, 4).Should().BeGreaterThan(300, $"the major gridlines should be drawn (screenshot: {png})");
    }

    private static string? Chromium() =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    private static void Screenshot(string chromium, string html, string png, string dir)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", $"--user-data-dir={Path.Combine(dir, "profile")}",
                "--window-size=1280,2200", $"--screenshot={png}", new Uri(html).AbsoluteUri,
            },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        // Chromium starts in about 2 s here; 90 s leaves room for a loaded 2-core machine.
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish the screenshot of {html} in 90 s");
        }
        File.Exists(png).Should().BeTrue($"chromium should write the screenshot (exit {process.ExitCode}: {stderr.Result})");
    }

    private static int Count(ImageResult image, byte r, byte g, byte b, int tolerance)
    {
        int n = 0;
        for (int i = 0; i + 2 < image.Data.Length; i += 3)
        {
            if (Math.Abs(image.Data[i] - r) <= tolerance && Math.Abs(image.Data[i + 1] - g) <= tolerance && Math.Abs(image.Data[i + 2] - b) <= tolerance)
            {
                n++;
            }
        }
        return n;
    }
}
