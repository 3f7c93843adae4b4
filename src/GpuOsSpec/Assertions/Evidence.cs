using System.Globalization;

namespace GpuOsSpec.Assertions;

/// <summary>The evidence assertion messages carry: top contributors with thread names and first times, and where the
/// trace is.</summary>
internal static class Evidence
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>"futex ×3 (first at +1.204 ms, tid 42 cuda-EvtHandlr [GpuRuntime])" for the top syscalls of
    /// <paramref name="calls"/>.</summary>
    internal static string TopSyscalls(TraceView view, IEnumerable<SyscallEvent> calls, int top = 5)
    {
        var all = calls.GroupBy(c => c.Ioctl?.DisplayName ?? c.Name).OrderByDescending(g => g.Count()).ToList();
        var groups = all.Take(top).ToList();
        // Calls the kernel counted (hybrid mode) have no event to show: name their totals when they belong to the view.
        var counted = view.CoversCountedTotals ? view.Trace.SyscallTotals.Where(t => !t.PerEvent && t.Count > 0).Take(top).ToList() : [];
        if (groups.Count == 0 && counted.Count == 0)
        {
            return "none";
        }
        string shown = string.Join("; ", groups.Select(g =>
        {
            var first = g.MinBy(c => c.EnterNs)!;
            return $"{g.Key} ×{g.Count()} (first at {Offset(view, first.EnterNs)}, {Thread(view.Trace, first.Tid)})";
        }).Concat(counted.Select(t => $"{t.Name} ×{t.Count:N0} (counted in the kernel, no time or thread)")));
        return all.Count > top ? $"{shown} and {all.Count - top} more syscall name(s)" : shown;
    }

    /// <summary>The first few events of a kind, with thread and time.</summary>
    internal static string First<T>(TraceView view, IEnumerable<T> events, Func<T, int> tid, Func<T, long> time, Func<T, string> what, int top = 5)
    {
        var all = events.ToList();
        var list = all.OrderBy(time).Take(top).ToList();
        string shown = string.Join("; ", list.Select(e => $"{what(e)} at {Offset(view, time(e))} ({Thread(view.Trace, tid(e))})"));
        return list.Count == 0 ? "none" : all.Count > top ? $"{shown} and {all.Count - top} more" : shown;
    }

    /// <summary>" Trace: PATH." when the trace was saved, and where the view looked.</summary>
    internal static string Where(TraceView view) =>
        $" Looked at {view.Describe()}.{(Reports.ResultsFolder.ArtifactsOf(view.Trace) is { } a ? $" Trace: {a.TraceJson}." : "")}";

    internal static string Thread(Trace trace, int tid) => trace.Thread(tid) is { } t ? $"tid {tid} {t.Name} [{t.Origin}]" : $"tid {tid}";

    private static string Offset(TraceView view, long ns)
    {
        long origin = view.PhaseFilter?.StartNs ?? view.Trace.StartNs;
        return string.Create(s_inv, $"+{(ns - origin) / 1e6:F3} ms");
    }

    /// <summary>Evidence for a FailWith argument: printed as written (FluentAssertions would quote a string and suffix
    /// a long).</summary>
    internal static Verbatim Text(object? value) => new(Convert.ToString(value, s_inv) ?? "");

    /// <summary>"a, b, c and 7 more": at most <paramref name="top"/> items, saying how many were cut.</summary>
    internal static string Joined(IEnumerable<string> items, int top)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return "none";
        }
        string shown = string.Join(", ", list.Take(top));
        return list.Count > top ? $"{shown} and {list.Count - top} more" : shown;
    }

    static Evidence() => FluentAssertions.Formatting.Formatter.AddFormatter(new VerbatimFormatter());

    /// <summary>Text a FluentAssertions message shows as is.</summary>
    internal sealed record Verbatim(string Value)
    {
        public override string ToString() => Value;
    }

    private sealed class VerbatimFormatter : FluentAssertions.Formatting.IValueFormatter
    {
        public bool CanHandle(object value) => value is Verbatim;

        public void Format(object value, FluentAssertions.Formatting.FormattedObjectGraph formattedGraph, FluentAssertions.Formatting.FormattingContext context,
            FluentAssertions.Formatting.FormatChild formatChild) => formattedGraph.AddFragment(((Verbatim)value).Value);
    }
}
