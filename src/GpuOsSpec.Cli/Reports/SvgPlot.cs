using System.Text.RegularExpressions;
using OxyPlot;

namespace GpuOsSpec.Cli.Reports;

/// <summary>OxyPlot models to SVG, for the figures of the map and the evaluation.</summary>
internal static class SvgPlot
{
    /// <summary>
    /// Exports <paramref name="model"/> as an SVG fragment. OxyPlot catches an exception thrown while it draws, writes
    /// "OxyPlot exception" and the stack into the image and carries on, so a broken plot would still look like a plot
    /// (the evaluation's interval bars did, for a label format): this throws instead, naming the plot.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the plot did not render.</exception>
    internal static string Export(PlotModel model, double width, double height)
    {
        string svg = SvgExporter.ExportToString(model, width, height, isDocument: false);
        if (model.GetLastPlotException() is { } failure)
        {
            throw new InvalidOperationException($"The plot \"{model.Title}\" did not render: {failure.Message}", failure);
        }
        int at = svg.IndexOf("OxyPlot exception", StringComparison.Ordinal);
        if (at >= 0)
        {
            string text = Regex.Replace(svg[at..Math.Min(svg.Length, at + 400)], "<[^>]*>", " ");
            throw new InvalidOperationException($"The plot \"{model.Title}\" did not render: {Regex.Replace(text, @"\s+", " ").Trim()}");
        }
        return svg;
    }

    /// <summary>
    /// An OxyPlot SVG made fit to sit inside another SVG: without the XML declaration OxyPlot writes even for a
    /// fragment (one inside a document is an error that stops the whole figure rendering), and with its ids
    /// (clipPath1, ...) prefixed, since every panel numbers its clip paths from 1 and a repeated id clips the later
    /// panels to the first one's rectangles.
    /// </summary>
    internal static string Embeddable(string svg, string idPrefix)
    {
        string body = s_declaration.Replace(svg, "");
        body = s_id.Replace(body, m => $"id=\"{idPrefix}{m.Groups[1].Value}\"");
        return s_reference.Replace(body, m => $"url(#{idPrefix}{m.Groups[1].Value})");
    }

    private static readonly Regex s_declaration = new(@"<\?xml[^>]*\?>\s*", RegexOptions.CultureInvariant);
    private static readonly Regex s_id = new("id=\"([^\"]+)\"", RegexOptions.CultureInvariant);
    private static readonly Regex s_reference = new(@"url\(#([^)]+)\)", RegexOptions.CultureInvariant);
}
