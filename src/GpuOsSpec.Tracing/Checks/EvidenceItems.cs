namespace GpuOsSpec.Tracing.Checks;

/// <summary>Evidence as data: the top contributors of a scope, each with its count, first occurrence and
/// thread.</summary>
public static class EvidenceItems
{
    /// <summary>The top syscalls (ioctls by decoded name) of <paramref name="calls"/>, most frequent first.</summary>
    public static IReadOnlyList<EvidenceItem> Syscalls(CheckScope scope, IEnumerable<SyscallEvent> calls, int top = 5) =>
        Events(scope, calls, c => c.Ioctl?.DisplayName ?? c.Name, c => c.Tid, c => c.EnterNs, top);

    /// <summary>The top kinds of <paramref name="events"/> (by <paramref name="what"/>), most frequent first.</summary>
    public static IReadOnlyList<EvidenceItem> Events<T>(CheckScope scope, IEnumerable<T> events, Func<T, string> what, Func<T, int> tid, Func<T, long> time, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return events.GroupBy(what).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(top)
            .Select(g =>
            {
                var first = g.MinBy(time)!;
                return Item(scope, g.Key, g.LongCount(), tid(first), time(first));
            }).ToList();
    }

    /// <summary>One item: <paramref name="what"/>, seen <paramref name="count"/> times, first on
    /// <paramref name="tid"/> at <paramref name="timeNs"/>.</summary>
    public static EvidenceItem Item(CheckScope scope, string what, long count, int tid, long timeNs)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var thread = scope.View.Trace.Thread(tid);
        return new EvidenceItem(what, count, scope.Name, Math.Round(TraceEvidence.OffsetMs(scope.View, timeNs), 3), tid, thread is null ? null : $"{thread.Name} [{thread.Origin}]");
    }
}
