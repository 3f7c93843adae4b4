using System.Text.RegularExpressions;

namespace GpuOsSpec.Tracing.Checks;

/// <summary>
/// A trace as the rules see it: its steady phases (by the rule's settings), each with its warm runs, or the whole run
/// when the program marks no phases.
/// </summary>
public sealed class CheckContext
{
    /// <summary>Creates the context of <paramref name="trace"/>.</summary>
    public CheckContext(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Trace = trace;
    }

    /// <summary>
    /// Phase names that are not steady by default: a phase whose path holds one of these segments is left out unless
    /// the rules file names it (the catalogue's workloads mark setup, steady and teardown).
    /// </summary>
    public static IReadOnlyList<string> NotSteady { get; } = ["setup", "teardown", "init", "warmup", "warm-up", "shutdown"];

    /// <summary>The trace judged.</summary>
    public Trace Trace { get; }

    /// <summary>The distinct phase paths of the trace, in the order they first started.</summary>
    public IReadOnlyList<string> PhasePaths => Trace.Phases.OrderBy(p => p.StartNs).Select(p => p.Path).Distinct().ToList();

    /// <summary>
    /// The steady phases <paramref name="settings"/> select, each as the view of its warm runs: the runs after the
    /// first <see cref="RuleSettings.WarmupRuns"/> when the phase ran more often than that, else all of them. Empty,
    /// with the reason, when the program marks no phases or none is steady.
    /// </summary>
    public PhaseSelection SteadyPhases(RuleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var paths = PhasePaths;
        if (paths.Count == 0)
        {
            return new([], Trace.MarkersRead
                ? "the program marked no phases (gpuos markers), so there is no steady phase to judge; mark its steady loop with gpuos_phase_begin/end (or the Python module's gpuos.phase)"
                : "gpuos markers were not read (--no-gpuos-markers, or no libgpuos to probe), so the run has no phases and no steady phase to judge");
        }
        var selected = settings.Phases is { } patterns
            ? paths.Where(p => patterns.Any(pattern => Matches(pattern, p))).ToList()
            : paths.Where(p => !p.Split('/').Any(segment => NotSteady.Contains(segment, StringComparer.OrdinalIgnoreCase))).ToList();
        if (selected.Count == 0)
        {
            string asked = settings.Phases is { } given
                ? $"no phase matches {string.Join(", ", given.Select(g => $"\"{g}\""))}"
                : $"no phase is steady ({string.Join(", ", NotSteady)} are left out unless the rules file names them)";
            return new([], $"{asked}; the trace has: {TraceEvidence.Joined(paths, 10)}");
        }
        return new(selected.Select(path => Scope(path, settings.WarmupRuns)).ToList(), null);
    }

    /// <summary>The steady phases (<see cref="SteadyPhases"/>) of a program that marks phases, else its whole
    /// run.</summary>
    public PhaseSelection SteadyPhasesOrWholeRun(RuleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Trace.Phases.Count == 0 ? new([new CheckScope(CheckScope.WholeRun, Trace.View(), 1, 1)], null) : SteadyPhases(settings);
    }

    private CheckScope Scope(string path, int warmupRuns)
    {
        var view = Trace.View().InPhase(path);
        int runs = view.PhaseRuns.Count;
        int skip = warmupRuns > 0 && runs > warmupRuns ? warmupRuns : 0;
        return new CheckScope(path, view.AfterRuns(skip), runs, runs - skip);
    }

    // "*" stands for any text, '/' included; everything else is literal.
    private static bool Matches(string pattern, string path) =>
        Regex.IsMatch(path, "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);
}
