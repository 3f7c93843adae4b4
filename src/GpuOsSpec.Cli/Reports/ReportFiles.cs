namespace GpuOsSpec.Cli.Reports;

/// <summary>A report's files (a map's or an evaluation's JSON, Markdown and HTML), written into its folder in the order
/// given.</summary>
internal static class ReportFiles
{
    /// <summary>Creates <paramref name="folder"/> and writes each file's text into it, data first where the caller
    /// lists it so; returns the paths.</summary>
    internal static List<string> Write(string folder, params (string Name, Func<string> Text)[] files)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(folder, name);
            File.WriteAllText(path, text());
            written.Add(path);
        }
        return written;
    }
}
