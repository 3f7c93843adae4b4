using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GpuOsSpec.Reports;

/// <summary>
/// Collects every traced spec of the test run and, when the run ends, writes the spec results: per spec and phase,
/// syscalls by role, context switches and faults, as spec-results.md and spec-results.json in the results folder,
/// and under GitHub Actions as the job summary.
/// </summary>
public static class SpecResultsRecorder
{
    private static readonly object s_gate = new();
    private static readonly List<Entry> s_entries = [];
    private static bool s_hooked;

    /// <summary>One traced spec's figures.</summary>
    public sealed record Entry(string Spec, string Source, long LostEvents, string? SavedPath, IReadOnlyList<PhaseFigures> Phases);

    /// <summary>One phase's figures for workload and GPU-runtime threads.</summary>
    public sealed record PhaseFigures(string Phase, long? Syscalls, IReadOnlyDictionary<string, long> Roles, long? Voluntary, long? Involuntary, long? MinorFaults, long? MajorFaults);

    /// <summary>The entries recorded so far.</summary>
    public static IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (s_gate)
            {
                return s_entries.ToList();
            }
        }
    }

    /// <summary>Records a spec's trace.</summary>
    public static void Record(string spec, Trace trace)
    {
        var phases = new List<PhaseFigures>();
        var views = trace.Phases.Count > 0 ? trace.Phases.Select(p => (p.Path, trace.View().InPhase(p.Path))) : [("(whole)", trace.View())];
        foreach (var (name, view) in views)
        {
            phases.Add(new PhaseFigures(name, view.SyscallCount().Value,
                view.CountByRole().Where(kv => kv.Value.Value > 0).ToDictionary(kv => RoleNames.Of(kv.Key), kv => kv.Value.Value!.Value),
                view.VoluntarySwitches().Value, view.InvoluntarySwitches().Value, view.MinorFaults().Value, view.MajorFaults().Value));
        }
        lock (s_gate)
        {
            s_entries.Add(new Entry(spec, $"{CaptureNames.Of(trace.Source)} ({CaptureNames.Of(trace.Mode)})", trace.LostEvents, ResultsFolder.ArtifactsOf(trace)?.TraceJson, phases));
            if (!s_hooked)
            {
                s_hooked = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => WriteAll();
            }
        }
    }

    /// <summary>Writes the map now (also done when the process exits).</summary>
    public static void WriteAll()
    {
        var entries = Entries;
        if (entries.Count == 0)
        {
            return;
        }
        string markdown = Markdown(entries);
        string dir = ResultsFolder.Directory;
        File.WriteAllText(Path.Combine(dir, "spec-results.md"), markdown);
        File.WriteAllText(Path.Combine(dir, "spec-results.json"), JsonSerializer.Serialize(new { schema = "gpuosspec.specresults/1", specs = entries },
            new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, markdown);
        }
    }

    /// <summary>The map as Markdown.</summary>
    public static string Markdown(IReadOnlyList<Entry> entries)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("## GpuOsSpec spec results").AppendLine();
        sb.AppendLine("Per traced spec and phase, for workload and GPU-runtime threads. `n/a`: not measured.").AppendLine();
        sb.AppendLine("| spec | phase | syscalls | by role | ctx sw (vol/invol) | faults (minor/major) | source |");
        sb.AppendLine("| --- | --- | ---: | --- | ---: | ---: | --- |");
        foreach (var e in entries)
        {
            foreach (var p in e.Phases)
            {
                string roles = p.Roles.Count == 0 ? "" : string.Join(", ", p.Roles.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"));
                sb.AppendLine(inv, $"| {e.Spec} | {p.Phase} | {N(p.Syscalls)} | {roles} | {N(p.Voluntary)}/{N(p.Involuntary)} | {N(p.MinorFaults)}/{N(p.MajorFaults)} | {e.Source}{(e.LostEvents > 0 ? $", {e.LostEvents} lost" : "")} |");
            }
        }
        return sb.ToString();
    }

    private static string N(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a";
}
