using System.Globalization;
using System.Text;

namespace GpuOsSpec.Tracing.Baselines;

/// <summary>
/// A comparison of one or more runs of a command against its baseline. It passes only when the runs could measure
/// every figure the baseline holds and none grew past the tolerance: a run that failed, lost events, missed a phase or
/// the probed library's calls is inconclusive; a capture that cannot measure what the baseline holds is refused.
/// </summary>
public sealed record BaselineComparison
{
    /// <summary>What the comparison concluded.</summary>
    public required BaselineVerdict Verdict { get; init; }

    /// <summary>Why it is inconclusive or refused; null when it passed or failed.</summary>
    public string? Reason { get; init; }

    /// <summary>Every figure that moved past the tolerance either way, regressions first.</summary>
    public IReadOnlyList<BaselineChange> Changes { get; init; } = [];

    /// <summary>What the runs measured that the baseline does not hold, so nothing held them to it (never a pass of its
    /// own).</summary>
    public IReadOnlyList<string> NotHeld { get; init; } = [];

    /// <summary>The figures compared.</summary>
    public BaselineScope Scope { get; init; }

    /// <summary>The runs compared; each figure is their median.</summary>
    public int Runs { get; init; }

    /// <summary>True when the comparison was made and nothing regressed.</summary>
    public bool Passed => Verdict == BaselineVerdict.Passed;

    /// <summary>Compares one run with <paramref name="baseline"/>.</summary>
    public static BaselineComparison Compare(BaselineProfile baseline, Trace current, BaselineTolerance tolerance, bool allowOtherMachine = false,
        BaselineScope scope = BaselineScope.Auto) => Compare(baseline, [current], tolerance, allowOtherMachine, scope);

    /// <summary>Compares runs of the command with <paramref name="baseline"/>: each figure is the median over the
    /// runs.</summary>
    /// <param name="baseline">The recorded profile.</param>
    /// <param name="runs">The traces of the runs
    /// now (at least one).</param>
    /// <param name="tolerance">How much growth is allowed.</param>
    /// <param name="allowOtherMachine">Compare even across machines and drivers (the diff then says so).</param>
    /// <param name="scope">Which figures count; by default the phases when the baseline has any (a whole run's start-up
    /// is noisy).</param>
    /// <exception cref="ArgumentException">When <paramref name="tolerance"/> is not usable (a value
    /// not finite, or below 0).</exception>
    public static BaselineComparison Compare(BaselineProfile baseline, IReadOnlyList<Trace> runs, BaselineTolerance tolerance, bool allowOtherMachine = false,
        BaselineScope scope = BaselineScope.Auto)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(tolerance);
        if (tolerance.Problem() is { } bad)
        {
            throw new ArgumentException($"The tolerance is not usable: {bad}.", nameof(tolerance));
        }
        if (runs.Count == 0)
        {
            throw new ArgumentException("A comparison needs at least one run.", nameof(runs));
        }
        if (scope == BaselineScope.Auto)
        {
            scope = baseline.Scopes.Any(s => s.Scope != BaselineProfile.Whole) ? BaselineScope.Phases : BaselineScope.Whole;
        }
        BaselineComparison Stop(BaselineVerdict verdict, string reason) => new() { Verdict = verdict, Reason = reason, Scope = scope, Runs = runs.Count };
        var compared = baseline.Scopes.Where(s => scope == BaselineScope.All || (s.Scope == BaselineProfile.Whole) == (scope == BaselineScope.Whole)).ToList();
        if (compared.Count == 0)
        {
            return Stop(BaselineVerdict.Refused, $"the baseline has no phases to compare (it was recorded from a command without gpuos phases); compare with --scope whole");
        }
        for (int i = 0; i < runs.Count; i++)
        {
            string run = runs.Count > 1 ? $"run {i + 1} of {runs.Count}: " : "";
            var trace = runs[i];
            if (trace.InconclusiveReason is { } why)
            {
                return Stop(BaselineVerdict.Inconclusive, $"{run}the trace is inconclusive ({why})");
            }
            if (trace.ExitCode is { } code and not 0)
            {
                return Stop(BaselineVerdict.Inconclusive, $"{run}the command {(trace.Signal is { } s ? $"was killed by signal {s}" : $"exited with {code}")}, so it proves nothing against a baseline of a run that succeeded");
            }
            var machine = BaselineMachine.Of(trace);
            if (!allowOtherMachine && (machine.Host != baseline.Machine.Host || machine.Architecture != baseline.Machine.Architecture || machine.Driver != baseline.Machine.Driver))
            {
                return Stop(BaselineVerdict.Refused, $"the baseline was recorded on {baseline.Machine}, this run is on {machine}; keep one baseline per machine and driver (or pass --allow-other-machine)");
            }
            if (CannotMeasure(baseline, BaselineCapture.Of(trace), CaptureAbilities.Of(trace), compared) is { } refusal)
            {
                return Stop(BaselineVerdict.Refused, refusal);
            }
            foreach (var s in compared.Where(s => s.Scope != BaselineProfile.Whole))
            {
                if (trace.Phases.All(p => p.Path != s.Scope))
                {
                    return Stop(BaselineVerdict.Inconclusive, $"{run}the baseline's phase \"{s.Scope}\" never ran (it has: {(trace.Phases.Count == 0 ? "no phases" : string.Join(", ", trace.Phases.Select(p => p.Path).Distinct()))}); " +
                        "the program did not mark it, failed before it, or loaded another libgpuos than the one probed");
                }
            }
            // The probes' own positive control: a scope where the baseline saw API calls must see some now, or the
            // program called another copy of the library than the one probed.
            foreach (var s in compared.Where(s => s.Measured.Contains(BaselineKind.ApiCalls)))
            {
                double before = baseline.Entries.Where(e => e.Scope == s.Scope && e.Kind == BaselineKind.ApiCalls).Sum(e => e.PerRun);
                if (before > 0 && !BaselineFigures.View(trace, s.Scope).ApiCalls.Any())
                {
                    return Stop(BaselineVerdict.Inconclusive, $"{run}the API probes saw no call in {Where(s.Scope)}, where the baseline saw {before:G4} per run; the program may have loaded another copy of {string.Join(", ", baseline.Capture.ApiLibraries)} than the one probed");
                }
            }
        }

        var changes = new List<BaselineChange>();
        var notHeld = new List<string>();
        foreach (var s in compared)
        {
            bool whole = s.Scope == BaselineProfile.Whole;
            var figures = runs.Select(t => BaselineFigures.Of(t, s.Scope).Where(f => s.Measured.Contains(f.Kind)).ToDictionary(f => (f.Kind, f.Name), f => f.PerRun)).ToList();
            var before = baseline.Entries.Where(e => e.Scope == s.Scope).ToDictionary(e => (e.Kind, e.Name));
            foreach (var key in before.Keys.Union(figures.SelectMany(f => f.Keys)).Distinct())
            {
                // A figure a run lacks, of a kind the scope measured, is a measured zero (the call was not made).
                double now = Median.Of(figures.Select(f => f.GetValueOrDefault(key)).ToList());
                var entry = before.TryGetValue(key, out var b) ? b : new BaselineEntry(s.Scope, key.Kind, key.Name, 0, 0);
                double limit = tolerance.Limit(entry, s.Runs);
                if (now > limit)
                {
                    changes.Add(new BaselineChange(entry, now, true, limit, FirstSeen(runs[0], entry)));
                }
                else if (now < tolerance.Floor(entry, s.Runs))
                {
                    changes.Add(new BaselineChange(entry, now, false, limit, null));
                }
            }
            var unheld = BaselineFigures.Kinds.Where(k => !s.Measured.Contains(k) && runs.All(t => CaptureAbilities.Of(t).Unmeasured(whole, k) is null)).ToList();
            if (unheld.Count > 0)
            {
                notHeld.Add($"{Where(s.Scope)}: {string.Join(", ", unheld.Select(Describe))} (the baseline did not measure them)");
            }
        }
        return new BaselineComparison
        {
            Verdict = changes.Any(c => c.Regression) ? BaselineVerdict.Failed : BaselineVerdict.Passed,
            Changes = changes.OrderByDescending(c => c.Regression).ThenByDescending(c => Growth(c)).ToList(),
            NotHeld = notHeld,
            Scope = scope,
            Runs = runs.Count,
        };
    }

    /// <summary>
    /// Why a capture like <paramref name="capture"/>, able to measure <paramref name="abilities"/>, cannot measure what
    /// <paramref name="baseline"/> holds in <paramref name="scopes"/> (all of them when null), with the fix; or null.
    /// Call it before a run with the planned capture, so a run that cannot be compared is never made.
    /// </summary>
    public static string? CannotMeasure(BaselineProfile baseline, BaselineCapture capture, CaptureAbilities abilities, IReadOnlyList<BaselineScopeProfile>? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(abilities);
        scopes ??= baseline.Scopes;
        if (capture.Source != baseline.Capture.Source)
        {
            return $"the baseline was captured with {GpuOsSpec.Tracing.Model.CaptureNames.Of(baseline.Capture.Source)} and this run with {GpuOsSpec.Tracing.Model.CaptureNames.Of(capture.Source)}: each source changes what it measures (strace stops every call), so they are not compared. Fix: --source {GpuOsSpec.Tracing.Model.CaptureNames.Of(baseline.Capture.Source)}";
        }
        if (baseline.Capture.ApiLibraries.Except(capture.ApiLibraries).ToList() is { Count: > 0 } unprobed && scopes.Any(s => s.Measured.Contains(BaselineKind.ApiCalls)))
        {
            return $"the baseline holds the API calls of {string.Join(", ", unprobed)}, which this run did not probe. Fix: pass --api as the baseline was recorded ({baseline.Capture})";
        }
        foreach (var s in scopes)
        {
            bool whole = s.Scope == BaselineProfile.Whole;
            foreach (var kind in s.Measured)
            {
                if (abilities.Unmeasured(whole, kind) is { } why)
                {
                    return $"the baseline holds {Describe(kind)} in {Where(s.Scope)} (recorded with {baseline.Capture}), and this run's capture ({capture}) cannot measure them: {why}";
                }
            }
        }
        return null;
    }

    private static double Growth(BaselineChange c) => c.Entry.PerRun == 0 ? double.MaxValue : (c.Current - c.Entry.PerRun) / c.Entry.PerRun;

    private static string Where(string scope) => scope == BaselineProfile.Whole ? "the whole run" : $"phase \"{scope}\"";

    private static string Describe(BaselineKind kind) => kind switch
    {
        BaselineKind.Syscall => "syscalls by name",
        BaselineKind.Ioctl => "ioctls",
        BaselineKind.Role => "syscalls by role",
        BaselineKind.ApiCalls => "API calls",
        BaselineKind.ApiSyscalls => "syscalls inside API calls",
        BaselineKind.VoluntarySwitches => "voluntary context switches",
        BaselineKind.PageFaults => "page faults",
        BaselineKind.WallTime => "wall time",
        _ => "on-CPU time",
    };

    private static string? FirstSeen(Trace trace, BaselineEntry entry)
    {
        if (entry.Scope != BaselineProfile.Whole && trace.Phases.All(p => p.Path != entry.Scope))
        {
            return null;
        }
        var view = BaselineFigures.View(trace, entry.Scope);
        var first = entry.Kind switch
        {
            BaselineKind.Syscall => view.Syscalls.Where(s => s.Name == entry.Name).Select(s => (SyscallEvent?)s).FirstOrDefault(),
            BaselineKind.Ioctl => view.Syscalls.Where(s => s.Ioctl is { } io && BaselineFigures.IoctlName(io.DisplayName, io.Device) == entry.Name).Select(s => (SyscallEvent?)s).FirstOrDefault(),
            _ => null,
        };
        return first is { } f ? string.Create(CultureInfo.InvariantCulture, $"+{(f.EnterNs - trace.StartNs) / 1e6:F3} ms, tid {f.Tid} {trace.Thread(f.Tid)?.Name}") : null;
    }

    /// <summary>The diff as Markdown, for a CI job summary.</summary>
    public string ToMarkdown(BaselineProfile baseline, BaselineTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(tolerance);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"### gpuosspec baseline: {Verdict.ToString().ToUpperInvariant()}");
        sb.AppendLine();
        sb.AppendLine(inv, $"Baseline: `{NameEscaping.ForMarkdownCell(baseline.Target)}`, {baseline.Capture}, {baseline.Recordings} run(s), recorded {baseline.RecordedUtc:yyyy-MM-dd HH:mm} UTC on {NameEscaping.ForMarkdownCell(baseline.Machine.ToString())}.");
        sb.AppendLine(inv, $"Compared: {(Scope == BaselineScope.Phases ? "each phase, per run" : Scope == BaselineScope.Whole ? "the whole run" : "the whole run and each phase")}, the median of {Runs} run(s). " +
            $"Counts may grow by {tolerance.Relative:P0} of the largest recorded figure plus {tolerance.Absolute:G4} per run (page faults by {tolerance.FaultSlack:G4} more over a scope's runs); times by the larger of {tolerance.TimeRelative:P0} of the recorded median and {tolerance.Relative:P0} of the largest, plus {tolerance.TimeAbsoluteNs / 1e6:G4} ms per run.");
        sb.AppendLine();
        if (Reason is not null)
        {
            sb.AppendLine(inv, $"{(Verdict == BaselineVerdict.Refused ? "Not compared" : "Inconclusive")}: {NameEscaping.ForMarkdownCell(Reason)}.");
            return sb.ToString();
        }
        if (Changes.Count == 0)
        {
            sb.AppendLine("No figure moved past the tolerance.");
        }
        else
        {
            sb.AppendLine("| | where | what | baseline per run | now per run | limit | change | first appeared |");
            sb.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |");
            foreach (var c in Changes)
            {
                var e = c.Entry;
                string change = e.PerRun == 0 ? "new" : string.Create(inv, $"{(c.Current - e.PerRun) / e.PerRun:+0.0%;-0.0%}");
                string what = e.Kind switch
                {
                    BaselineKind.Syscall => $"syscall {e.Name}",
                    BaselineKind.Ioctl => $"ioctl {e.Name}",
                    BaselineKind.Role => $"{e.Name} syscalls",
                    BaselineKind.ApiCalls => $"calls to {e.Name}",
                    BaselineKind.ApiSyscalls => $"syscalls inside {e.Name}",
                    BaselineKind.VoluntarySwitches => "voluntary context switches",
                    BaselineKind.PageFaults => $"{e.Name} page faults",
                    BaselineKind.WallTime => "wall time",
                    _ => $"on-CPU time of {e.Name} threads",
                };
                string recorded = baseline.Recordings > 1 && e.Max > e.PerRun ? $"{Figure(e, e.PerRun)} (max {Figure(e, e.Max)})" : Figure(e, e.PerRun);
                sb.AppendLine(inv, $"| {(c.Regression ? "grew" : "shrank")} | {NameEscaping.ForMarkdownCell(e.Scope)} | {NameEscaping.ForMarkdownCell(what)} | {recorded} | {Figure(e, c.Current)} | {Figure(e, c.Limit)} | {change} | {NameEscaping.ForMarkdownCell(c.FirstSeen ?? "")} |");
            }
        }
        foreach (string line in NotHeld)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Not held: {NameEscaping.ForMarkdownCell(line)}.");
        }
        return sb.ToString();
    }

    private static string Figure(BaselineEntry entry, double value) =>
        entry.IsTime ? string.Create(CultureInfo.InvariantCulture, $"{value / 1e6:G4} ms") : value.ToString("G4", CultureInfo.InvariantCulture);
}
