namespace GpuOsSpec.Tracing.Building;

/// <summary>
/// Holds a full-mode trace's per-phase syscall figures to the kernel's phase counter run beside it (<see
/// cref="PhaseCrossCheck"/>). Both ways use a phase view's semantics (<see cref="TraceView"/>): a call recorded per
/// event belongs to a phase path when its entry falls in one of the path's runs' windows; a count belongs to it when
/// one of the path's runs was open at the call's entry (the counter keeps the open set at entry). Each is summed per
/// thread, then over the threads, so a row is equal only when every thread's is.
/// </summary>
internal static class PhaseCrossChecker
{
    /// <summary>Compares every gpuos phase path of <paramref name="phases"/>, over the syscalls not in
    /// <paramref name="perEventInDefaultMode"/>.</summary>
    /// <param name="phases">The trace's phases; the gpuos ones are compared.</param>
    /// <param name="calls">The calls recorded per event (full mode's, in the capture window, without the probes' own
    /// syscalls).</param>
    /// <param name="counts">The counter's counts, placed in their phase runs.</param>
    /// <param name="perEventInDefaultMode">The syscalls the default mode records per event (its decode set): left out,
    /// since there its figures are not the counter's.</param>
    internal static PhaseCrossCheck Compare(IReadOnlyList<Phase> phases, IReadOnlyList<SyscallEvent> calls, IReadOnlyList<PhaseSyscallCount> counts,
        IReadOnlySet<string> perEventInDefaultMode)
    {
        var left = perEventInDefaultMode.Order(StringComparer.Ordinal).ToList();
        var byPath = phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).GroupBy(p => p.Path).ToList();
        if (byPath.Count == 0)
        {
            return new PhaseCrossCheck([], "the program opened no gpuos phase, so there was nothing to compare") { PerEventInDefaultMode = left };
        }
        var compared = calls.Where(c => !perEventInDefaultMode.Contains(c.Name)).ToList();
        var rows = new List<PhaseCrossCheckRow>();
        foreach (var path in byPath.OrderBy(g => g.Min(p => p.StartNs)))
        {
            var runs = path.OrderBy(p => p.StartNs).ToList();
            var runSet = runs.ToHashSet(ReferenceEqualityComparer.Instance);
            var windows = Union(runs);
            bool InRuns(long timeNs) => Covers(windows, timeNs);

            // Per (syscall, thread): full mode's calls and errors, the kernel's, and full mode's calls by return.
            var cells = new Dictionary<(string Name, int Tid), (long Calls, long Errors, long KernelCalls, long KernelErrors, long ByReturn)>();
            foreach (var c in compared)
            {
                bool entered = InRuns(c.EnterNs);
                bool returned = c.Finished && InRuns(c.ExitNs);
                if (!entered && !returned)
                {
                    continue;
                }
                var cell = cells.GetValueOrDefault((c.Name, c.Tid));
                cells[(c.Name, c.Tid)] = cell with
                {
                    Calls = cell.Calls + (entered ? 1 : 0),
                    Errors = cell.Errors + (entered && c.Failed ? 1 : 0),
                    ByReturn = cell.ByReturn + (returned ? 1 : 0),
                };
            }
            foreach (var k in counts.Where(k => !perEventInDefaultMode.Contains(k.Name) && k.Runs.Any(runSet.Contains)))
            {
                var cell = cells.GetValueOrDefault((k.Name, k.Tid));
                cells[(k.Name, k.Tid)] = cell with { KernelCalls = cell.KernelCalls + k.Calls, KernelErrors = cell.KernelErrors + k.Errors };
            }
            foreach (var name in cells.GroupBy(c => c.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var threads = name.ToList();
                var differing = threads.Where(t => t.Value.Calls != t.Value.KernelCalls || t.Value.Errors != t.Value.KernelErrors)
                    .Select(t => t.Key.Tid).Order().ToList();
                if (threads.All(t => t.Value.Calls == 0 && t.Value.KernelCalls == 0))
                {
                    continue;
                }
                rows.Add(new PhaseCrossCheckRow(path.Key, name.Key, threads.Sum(t => t.Value.Calls), threads.Sum(t => t.Value.Errors),
                    threads.Sum(t => t.Value.KernelCalls), threads.Sum(t => t.Value.KernelErrors), threads.Sum(t => t.Value.ByReturn), differing));
            }
        }
        return new PhaseCrossCheck(rows, null) { PerEventInDefaultMode = left, Paths = byPath.OrderBy(g => g.Min(p => p.StartNs)).Select(g => g.Key).ToList() };
    }

    // The runs' windows ([start, end)) merged where they overlap or touch (runs of one path on several threads), in
    // start order: a time is in some run exactly when it is in one of these.
    private static List<(long Start, long End)> Union(List<Phase> runs)
    {
        var merged = new List<(long Start, long End)>();
        foreach (var r in runs.Where(r => r.EndNs > r.StartNs))
        {
            if (merged.Count > 0 && r.StartNs <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.EndNs));
            }
            else
            {
                merged.Add((r.StartNs, r.EndNs));
            }
        }
        return merged;
    }

    private static bool Covers(List<(long Start, long End)> windows, long timeNs)
    {
        int lo = 0, hi = windows.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (timeNs < windows[mid].Start)
            {
                hi = mid - 1;
            }
            else if (timeNs >= windows[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }
}
