using System.Globalization;

namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// The evidence a verdict about a trace carries, worded once for the plugin's assertions and for `gpuosspec check`'s
/// rules: the top syscalls with their first time and thread, the first events of a kind, a thread by tid, name and
/// origin.
/// </summary>
public static class TraceEvidence
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>"futex ×3 (first at +1.204 ms, tid 42 cuda-EvtHandlr [GpuRuntime])" for the top syscalls of
    /// <paramref name="calls"/>; an open also names the files it opened ("openat ×1 (first at +0.139 ms, tid 42
    /// testhost [Workload]; files: /proc/meminfo ×1)").</summary>
    /// <param name="view">The view the calls belong to (for offsets, threads and the kernel's counted totals).</param>
    /// <param name="calls">The syscalls recorded as events.</param>
    /// <param name="top">How many names to show.</param>
    /// <param name="withCounted">Also name the syscalls hybrid mode only counted, where they belong to the view; false
    /// where <paramref name="calls"/> are a part of the view (those inside API calls), to which the whole run's counts
    /// do not belong.</param>
    public static string TopSyscalls(TraceView view, IEnumerable<SyscallEvent> calls, int top = 5, bool withCounted = true)
    {
        ArgumentNullException.ThrowIfNull(view);
        var all = calls.GroupBy(c => c.Ioctl?.DisplayName ?? c.Name).OrderByDescending(g => g.Count()).ToList();
        var groups = all.Take(top).ToList();
        // Calls the kernel counted (hybrid mode) have no event to show: name their totals when they belong to the view.
        var counted = withCounted && view.CoversCountedTotals ? view.Trace.SyscallTotals.Where(t => !t.PerEvent && t.Count > 0).Take(top).ToList() : [];
        if (groups.Count == 0 && counted.Count == 0)
        {
            return "none";
        }
        string shown = string.Join("; ", groups.Select(g =>
        {
            var first = g.MinBy(c => c.EnterNs)!;
            return $"{g.Key} ×{g.Count()} (first at {Offset(view, first.EnterNs)}, {Thread(view.Trace, first.Tid)}{Opened(g)})";
        }).Concat(counted.Select(t => $"{t.Name} ×{t.Count:N0} (counted in the kernel, no time or thread)")));
        return all.Count > top ? $"{shown} and {all.Count - top} more syscall name(s)" : shown;
    }

    /// <summary>"; files: /proc/meminfo ×2, path not read ×1" for opens (the files most often opened first), else
    /// "".</summary>
    private static string Opened(IEnumerable<SyscallEvent> calls)
    {
        var files = calls.Select(FileOpens.Describe).OfType<string>().GroupBy(f => f, StringComparer.Ordinal)
            .OrderByDescending(f => f.Count()).ThenBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} ×{f.Count()}").ToList();
        return files.Count == 0 ? "" : $"; files: {Joined(files, 3)}";
    }

    /// <summary>The first few events of a kind, with thread and time.</summary>
    public static string First<T>(TraceView view, IEnumerable<T> events, Func<T, int> tid, Func<T, long> time, Func<T, string> what, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(view);
        var all = events.ToList();
        var list = all.OrderBy(time).Take(top).ToList();
        string shown = string.Join("; ", list.Select(e => $"{what(e)} at {Offset(view, time(e))} ({Thread(view.Trace, tid(e))})"));
        return list.Count == 0 ? "none" : all.Count > top ? $"{shown} and {all.Count - top} more" : shown;
    }

    /// <summary>"tid 42 python3 [Workload]", or "tid 42" for a thread the trace does not know.</summary>
    public static string Thread(Trace trace, int tid)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return trace.Thread(tid) is { } t ? $"tid {tid} {t.Name} [{t.Origin}]" : $"tid {tid}";
    }

    /// <summary>"+1.204 ms": <paramref name="ns"/> after the start of the view's phase (its first run), or of the
    /// capture.</summary>
    public static string Offset(TraceView view, long ns) => string.Create(s_inv, $"+{OffsetMs(view, ns):F3} ms");

    /// <summary>Milliseconds from the start of the view's phase (its first run), or of the capture, to
    /// <paramref name="ns"/>.</summary>
    public static double OffsetMs(TraceView view, long ns)
    {
        ArgumentNullException.ThrowIfNull(view);
        long origin = view.PhaseFilter?.StartNs ?? view.Trace.StartNs;
        return (ns - origin) / 1e6;
    }

    /// <summary>"a, b, c and 7 more": at most <paramref name="top"/> items, saying how many were cut.</summary>
    public static string Joined(IEnumerable<string> items, int top)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return "none";
        }
        string shown = string.Join(", ", list.Take(top));
        return list.Count > top ? $"{shown} and {list.Count - top} more" : shown;
    }
}
