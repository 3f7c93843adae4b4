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

    /// <summary>
    /// Compares each gpuos phase path's context switches and, where full mode recorded them, page faults: an event
    /// belongs to the path when its time falls in one of the path's runs' windows (a view's semantics); a kernel count
    /// when one of the path's runs was open when it was taken. Summed per thread, so a figure is equal only when every
    /// thread's is. On-CPU time is summed both ways, side by side (<see cref="PhaseCrossCheckTime"/>).
    /// </summary>
    /// <param name="phases">The trace's phases; the gpuos ones are compared.</param>
    /// <param name="switches">Full mode's switch events, in the capture window.</param>
    /// <param name="faults">Full mode's fault events, or null when they were not recorded (then faults are not
    /// compared).</param>
    /// <param name="slices">Full mode's on-CPU slices.</param>
    /// <param name="activity">The counter's switches, faults and on-CPU time, placed in their phase runs.</param>
    /// <param name="captureEndNs">Where the trace ends the runs still open at its end.</param>
    /// <param name="cutNs">Where the counter stopped counting switches and faults (at or after
    /// <paramref name="captureEndNs"/>): the events are taken up to it, and a run still open at the capture's end is
    /// taken as open until it, as the counter kept it (a thread that outlived the command, switched away after it).
    /// </param>
    internal static (List<PhaseCrossCheckFigure> Figures, List<PhaseCrossCheckTime> OnCpu) CompareActivity(IReadOnlyList<Phase> phases,
        IReadOnlyList<ContextSwitchEvent> switches, IReadOnlyList<PageFaultEvent>? faults, IReadOnlyList<CpuSlice> slices, IReadOnlyList<PhaseActivityCount> activity,
        long captureEndNs, long cutNs)
    {
        switches = switches.Where(e => e.TimeNs < cutNs).ToList();
        faults = faults?.Where(e => e.TimeNs < cutNs).ToList();
        var figures = new List<PhaseCrossCheckFigure>();
        var times = new List<PhaseCrossCheckTime>();
        foreach (var path in phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).GroupBy(p => p.Path).OrderBy(g => g.Min(p => p.StartNs)))
        {
            var runs = path.ToHashSet(ReferenceEqualityComparer.Instance);
            var windows = Union(path.OrderBy(p => p.StartNs).Select(p => p.EndNs >= captureEndNs ? p with { EndNs = Math.Max(p.EndNs, cutNs) } : p).ToList());
            var counted = activity.Where(a => a.Runs.Any(runs.Contains)).ToList();

            void Add(string figure, IEnumerable<int> fullTids, Func<PhaseActivityCount, long> kernel)
            {
                var full = fullTids.GroupBy(t => t).ToDictionary(g => g.Key, g => g.LongCount());
                var inKernel = counted.GroupBy(a => a.Tid).ToDictionary(g => g.Key, g => g.Sum(kernel));
                var differing = full.Keys.Union(inKernel.Keys).Where(t => full.GetValueOrDefault(t) != inKernel.GetValueOrDefault(t)).Order().ToList();
                figures.Add(new PhaseCrossCheckFigure(path.Key, figure, full.Values.Sum(), inKernel.Values.Sum(), differing));
            }
            Add("voluntarySwitches", switches.Where(c => c.Voluntary && Covers(windows, c.TimeNs)).Select(c => c.Tid), a => a.VoluntarySwitches);
            Add("involuntarySwitches", switches.Where(c => !c.Voluntary && Covers(windows, c.TimeNs)).Select(c => c.Tid), a => a.InvoluntarySwitches);
            if (faults is not null)
            {
                Add("minorFaults", faults.Where(f => !f.Major && Covers(windows, f.TimeNs)).Select(f => f.Tid), a => a.MinorFaults);
                Add("majorFaults", faults.Where(f => f.Major && Covers(windows, f.TimeNs)).Select(f => f.Tid), a => a.MajorFaults);
            }

            var openers = path.Select(p => p.Tid).ToHashSet();
            long fullNs = 0, openersFullNs = 0;
            foreach (var slice in slices)
            {
                long ns = windows.Sum(w => slice.OverlapNs(w.Start, w.End));
                fullNs += ns;
                openersFullNs += openers.Contains(slice.Tid) ? ns : 0;
            }
            times.Add(new PhaseCrossCheckTime(path.Key, fullNs, counted.Sum(a => a.OnCpuNs), openersFullNs, counted.Where(a => openers.Contains(a.Tid)).Sum(a => a.OnCpuNs)));
        }
        return (figures, times);
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
