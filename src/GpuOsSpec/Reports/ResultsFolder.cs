using System.Text.RegularExpressions;

namespace GpuOsSpec.Reports;

/// <summary>
/// Where traced specs leave their artifacts: GPUOSSPEC_RESULTS, else gpuosspec-results in the folder of the solution
/// being tested (the nearest folder above the current one that holds a .sln, .slnx or .git), else in the current
/// folder. `dotnet test` runs in bin/Release/net10.0, which a reader would not look in. Each trace is saved as
/// SPEC.trace.json and SPEC.perfetto.json.
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
            string dir = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } d ? d : DefaultFor(Environment.CurrentDirectory);
            System.IO.Directory.CreateDirectory(dir);
            return dir;
        }
    }

    // Which files each saved trace went to, so an assertion on any view of it can point there; the model stays
    // immutable.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Trace, TraceArtifacts> s_saved = new();

    /// <summary>Where <paramref name="trace"/> was saved, or null when it was not.</summary>
    public static TraceArtifacts? ArtifactsOf(Trace trace) => s_saved.TryGetValue(trace, out var a) ? a : null;

    /// <summary>Saves <paramref name="trace"/> for <paramref name="spec"/>; returns where it went.</summary>
    public static TraceArtifacts Save(string spec, Trace trace)
    {
        string stem;
        lock (s_gate)
        {
            string safe = Unsafe().Replace(spec, "_");
            int n = s_counts[safe] = s_counts.GetValueOrDefault(safe) + 1;
            stem = Path.Combine(Directory, n == 1 ? safe : $"{safe}.{n}");
        }
        var artifacts = new TraceArtifacts(stem + ".trace.json", stem + ".perfetto.json");
        TraceJsonExporter.Write(trace, artifacts.TraceJson);
        PerfettoExporter.Write(trace, artifacts.Perfetto);
        s_saved.AddOrUpdate(trace, artifacts);
        return artifacts;
    }

    /// <summary>The folder results go to, without GPUOSSPEC_RESULTS, when tests run in
    /// <paramref name="currentDirectory"/>.</summary>
    internal static string DefaultFor(string currentDirectory) => Path.Combine(Root(currentDirectory), "gpuosspec-results");

    private static string Root(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, ".git")) || dir.EnumerateFiles("*.sln").Any() || dir.EnumerateFiles("*.slnx").Any())
            {
                return dir.FullName;
            }
        }
        return start;
    }

    [GeneratedRegex(@"[^A-Za-z0-9_.\[\]-]+")]
    private static partial Regex Unsafe();
}
