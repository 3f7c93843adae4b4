using System.Globalization;
using System.Text;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Baselines;

/// <summary>How much a figure may grow before it is a regression: a share of the baseline plus an absolute slack per run.</summary>
/// <param name="Relative">The share, 0.10 for 10 %.</param>
/// <param name="Absolute">Counts per run on top: a figure that was 0 may reach this, so the default 0.5 lets one new call per run through in no phase.</param>
public sealed record BaselineTolerance(double Relative = 0.10, double Absolute = 0.5)
{
    /// <summary>The largest value <paramref name="baseline"/> may grow to.</summary>
    public double Limit(double baseline) => baseline * (1 + Relative) + Absolute;
}

/// <summary>Which figures a comparison holds to the baseline.</summary>
public enum BaselineScope
{
    /// <summary>The phases when the baseline has any, else the whole run.</summary>
    Auto,

    /// <summary>Per phase path only: the steady parts of a program, where a CI gate is stable.</summary>
    Phases,

    /// <summary>The whole run only (start-up and library loading included, so noisier).</summary>
    Whole,

    /// <summary>Both.</summary>
    All,
}

/// <summary>One figure that moved.</summary>
/// <param name="Entry">The key (scope, kind, name).</param>
/// <param name="Baseline">Per run in the baseline (0 when new).</param>
/// <param name="Current">Per run now.</param>
/// <param name="Regression">True when it grew past the tolerance.</param>
/// <param name="FirstSeen">Where the first call appeared in the current trace, when it is a syscall or ioctl: "+12.345 ms, tid 42 python3".</param>
public sealed record BaselineChange(BaselineEntry Entry, double Baseline, double Current, bool Regression, string? FirstSeen);

/// <summary>A comparison of a run against a baseline: refused (other machine or driver, inconclusive run), or the changes.</summary>
public sealed record BaselineComparison
{
    /// <summary>Why the runs cannot be compared, or null.</summary>
    public string? Refused { get; init; }

    /// <summary>Every figure that moved past the tolerance either way, regressions first.</summary>
    public IReadOnlyList<BaselineChange> Changes { get; init; } = [];

    /// <summary>The figures compared.</summary>
    public BaselineScope Scope { get; init; }

    /// <summary>True when the comparison was made and nothing regressed.</summary>
    public bool Passed => Refused is null && Changes.All(c => !c.Regression);

    /// <summary>Compares <paramref name="current"/> with <paramref name="baseline"/>.</summary>
    /// <param name="baseline">The recorded profile.</param>
    /// <param name="current">The trace of the run now.</param>
    /// <param name="tolerance">How much growth is allowed.</param>
    /// <param name="allowOtherMachine">Compare even across machines and drivers (the diff then says so).</param>
    /// <param name="scope">Which figures count; by default the phases when the baseline has any (a whole run's start-up is noisy).</param>
    public static BaselineComparison Compare(BaselineProfile baseline, Trace current, BaselineTolerance tolerance, bool allowOtherMachine = false,
        BaselineScope scope = BaselineScope.Auto)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        if (current.InconclusiveReason is { } why)
        {
            return new BaselineComparison { Refused = $"the run is inconclusive ({why}), so it cannot pass against a baseline" };
        }
        var machine = BaselineMachine.Of(current);
        if (!allowOtherMachine && (machine.Host != baseline.Machine.Host || machine.Architecture != baseline.Machine.Architecture || machine.Driver != baseline.Machine.Driver))
        {
            return new BaselineComparison
            {
                Refused = $"the baseline was recorded on {Describe(baseline.Machine)}, this run is on {Describe(machine)}; keep one baseline per machine and driver (or pass --allow-other-machine)",
            };
        }
        if (scope == BaselineScope.Auto)
        {
            scope = baseline.PhaseRuns.Count > 0 ? BaselineScope.Phases : BaselineScope.Whole;
        }
        bool Counts(BaselineEntry e) => scope == BaselineScope.All || (e.Scope == BaselineProfile.Whole) == (scope == BaselineScope.Whole);
        var now = BaselineProfile.Of(current).Entries.Where(Counts).ToDictionary(e => e.Key);
        var before = baseline.Entries.Where(Counts).ToDictionary(e => e.Key);
        if (scope == BaselineScope.Phases && !baseline.PhaseRuns.Keys.Any(current.Phases.Select(p => p.Path).Contains))
        {
            return new BaselineComparison { Refused = $"the run has none of the baseline's phases ({string.Join(", ", baseline.PhaseRuns.Keys)}): it did not mark them, or another libgpuos was probed than the one it loaded" };
        }
        var changes = new List<BaselineChange>();
        foreach (var key in now.Keys.Union(before.Keys))
        {
            double b = before.TryGetValue(key, out var be) ? be.PerRun : 0;
            double c = now.TryGetValue(key, out var ce) ? ce.PerRun : 0;
            var entry = ce ?? be!;
            bool regression = c > tolerance.Limit(b);
            bool improvement = b > tolerance.Limit(c);
            if (regression || improvement)
            {
                changes.Add(new BaselineChange(entry, b, c, regression, regression ? FirstSeen(current, entry) : null));
            }
        }
        return new BaselineComparison
        {
            Changes = changes.OrderByDescending(c => c.Regression).ThenByDescending(c => c.Current - c.Baseline).ToList(),
            Scope = scope,
        };
    }

    private static string Describe(BaselineMachine m) => $"{m.Host} ({m.Architecture}, Linux {m.Kernel}, {(m.Driver is null ? "no NVIDIA driver" : "NVIDIA driver " + m.Driver)})";

    private static string? FirstSeen(Trace trace, BaselineEntry entry)
    {
        var view = entry.Scope == BaselineProfile.Whole ? trace.AllThreads() : trace.AllThreads().InPhase(entry.Scope);
        var first = entry.Kind switch
        {
            BaselineKind.Syscall => view.Syscalls.Where(s => s.Name == entry.Name).Select(s => (SyscallEvent?)s).FirstOrDefault(),
            BaselineKind.Ioctl => view.Syscalls.Where(s => s.Ioctl is { } io && $"{io.Name} {BaselineProfile.DeviceKind(io.Device)}" == entry.Name).Select(s => (SyscallEvent?)s).FirstOrDefault(),
            _ => null,
        };
        return first is { } f ? string.Create(CultureInfo.InvariantCulture, $"+{(f.EnterNs - trace.StartNs) / 1e6:F3} ms, tid {f.Tid} {trace.Thread(f.Tid)?.Name}") : null;
    }

    /// <summary>The diff as Markdown, for a CI job summary.</summary>
    public string ToMarkdown(BaselineProfile baseline, BaselineTolerance tolerance)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"### gpuosspec baseline: {(Refused is not null ? "REFUSED" : Passed ? "PASSED" : "FAILED")}");
        sb.AppendLine();
        sb.AppendLine(inv, $"Baseline: `{baseline.Target}`, {baseline.Capture}, recorded {baseline.RecordedUtc:yyyy-MM-dd HH:mm} UTC on {Describe(baseline.Machine)}.");
        sb.AppendLine(inv, $"Tolerance: +{tolerance.Relative:P0} and +{tolerance.Absolute:G4} per run; compared: {(Scope == BaselineScope.Phases ? "each phase, per run" : Scope == BaselineScope.Whole ? "the whole run" : "the whole run and each phase")}.");
        sb.AppendLine();
        if (Refused is not null)
        {
            sb.AppendLine(inv, $"Not compared: {Refused}.");
            return sb.ToString();
        }
        if (Changes.Count == 0)
        {
            sb.AppendLine("No figure moved past the tolerance.");
            return sb.ToString();
        }
        sb.AppendLine("| | where | what | baseline per run | now per run | change | first appeared |");
        sb.AppendLine("| --- | --- | --- | ---: | ---: | ---: | --- |");
        foreach (var c in Changes)
        {
            string change = c.Baseline == 0 ? "new" : string.Create(inv, $"{(c.Current - c.Baseline) / c.Baseline:+0.0%;-0.0%}");
            string what = c.Entry.Kind switch
            {
                BaselineKind.Syscall => $"syscall {c.Entry.Name}",
                BaselineKind.Ioctl => $"ioctl {c.Entry.Name}",
                BaselineKind.Role => $"{c.Entry.Name} syscalls",
                BaselineKind.ApiCalls => $"calls to {c.Entry.Name}",
                BaselineKind.ApiSyscalls => $"syscalls inside {c.Entry.Name}",
                _ => "voluntary context switches",
            };
            sb.AppendLine(inv, $"| {(c.Regression ? "grew" : "shrank")} | {c.Entry.Scope} | {what} | {c.Baseline:G4} | {c.Current:G4} | {change} | {c.FirstSeen ?? ""} |");
        }
        return sb.ToString();
    }
}
