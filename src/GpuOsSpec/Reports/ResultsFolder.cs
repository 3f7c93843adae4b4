using System.Text.RegularExpressions;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Reports;

/// <summary>
/// Where traced specs leave their artifacts: GPUOSSPEC_RESULTS, or gpuosspec-results under the current directory.
/// Each trace is saved as SPEC.trace.json and SPEC.perfetto.json.
/// </summary>
public static partial class ResultsFolder
{
    /// <summary>The environment variable that moves the folder.</summary>
    public const string Variable = "GPUOSSPEC_RESULTS";

    private static readonly object s_gate = new();
    private static readonly Dictionary<string, int> s_counts = [];

    /// <summary>The folder (created on first use).</summary>
    public static string Directory
    {
        get
        {
            string dir = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } d ? d : Path.Combine(Environment.CurrentDirectory, "gpuosspec-results");
            System.IO.Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>Saves <paramref name="trace"/> for <paramref name="spec"/> and sets <see cref="Trace.SavedPath"/>.</summary>
    public static void Save(string spec, Trace trace)
    {
        string stem;
        lock (s_gate)
        {
            string safe = Unsafe().Replace(spec, "_");
            int n = s_counts[safe] = s_counts.GetValueOrDefault(safe) + 1;
            stem = Path.Combine(Directory, n == 1 ? safe : $"{safe}.{n}");
        }
        TraceJsonExporter.Write(trace, stem + ".trace.json");
        PerfettoExporter.Write(trace, stem + ".perfetto.json");
        trace.SavedPath = stem + ".trace.json";
    }

    [GeneratedRegex(@"[^A-Za-z0-9_.\[\]-]+")]
    private static partial Regex Unsafe();
}
