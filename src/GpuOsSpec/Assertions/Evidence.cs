using System.Globalization;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Assertions;

/// <summary>The evidence assertion messages carry: top contributors with thread names and first times, and where the trace is.</summary>
internal static class Evidence
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>"futex ×3 (first at +1.204 ms, tid 42 cuda-EvtHandlr [GpuRuntime])" for the top syscalls of <paramref name="calls"/>.</summary>
    internal static string TopSyscalls(TraceView view, IEnumerable<SyscallEvent> calls, int top = 5)
    {
        var groups = calls.GroupBy(c => c.Ioctl?.DisplayName ?? c.Name).OrderByDescending(g => g.Count()).Take(top).ToList();
        // Calls the kernel counted (hybrid mode) have no event to show: name their totals when they belong to the view.
        var counted = view.CoversCountedTotals ? view.Trace.SyscallTotals.Where(t => !t.PerEvent && t.Count > 0).Take(top).ToList() : [];
        if (groups.Count == 0 && counted.Count == 0)
        {
            return "none";
        }
        return string.Join("; ", groups.Select(g =>
        {
            var first = g.MinBy(c => c.EnterNs);
            return $"{g.Key} ×{g.Count()} (first at {Offset(view, first.EnterNs)}, {Thread(view.Trace, first.Tid)})";
        }).Concat(counted.Select(t => $"{t.Name} ×{t.Count:N0} (counted in the kernel, no time or thread)")));
    }

    /// <summary>The first few events of a kind, with thread and time.</summary>
    internal static string First<T>(TraceView view, IEnumerable<T> events, Func<T, int> tid, Func<T, long> time, Func<T, string> what, int top = 5)
    {
        var list = events.OrderBy(time).Take(top).ToList();
        return list.Count == 0 ? "none" : string.Join("; ", list.Select(e => $"{what(e)} at {Offset(view, time(e))} ({Thread(view.Trace, tid(e))})"));
    }

    /// <summary>" Trace: PATH." when the trace was saved, and where the view looked.</summary>
    internal static string Where(TraceView view) =>
        $" Looked at {view.Describe()}.{(view.Trace.SavedPath is { } p ? $" Trace: {p}." : "")}";

    internal static string Thread(Trace trace, int tid) => trace.Thread(tid) is { } t ? $"tid {tid} {t.Name} [{t.Origin}]" : $"tid {tid}";

    private static string Offset(TraceView view, long ns)
    {
        long origin = view.PhaseFilter?.StartNs ?? view.Trace.StartNs;
        return string.Create(s_inv, $"+{(ns - origin) / 1e6:F3} ms");
    }

    /// <summary>
    /// Escapes a finished message for FluentAssertions' FailWith, which treats braces as placeholders: every brace of the
    /// evidence is doubled, and only FluentAssertions' own {context:...} and {reason} placeholders are kept.
    /// </summary>
    internal static string Escape(string text) => text
        .Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)
        .Replace("{{context:trace}}", "{context:trace}", StringComparison.Ordinal)
        .Replace("{{context:scaling}}", "{context:scaling}", StringComparison.Ordinal)
        .Replace("{{reason}}", "{reason}", StringComparison.Ordinal);
}
