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
    /// <param name="window">Each run's window as the counter's marker records time it
    /// (<see cref="KernelPhaseAttribution.Windows"/>); null: the runs' own.</param>
    internal static PhaseCrossCheck Compare(IReadOnlyList<Phase> phases, IReadOnlyList<SyscallEvent> calls, IReadOnlyList<PhaseSyscallCount> counts,
        IReadOnlySet<string> perEventInDefaultMode, Func<Phase, KernelRunWindow>? window = null)
    {
        window ??= KernelRunWindow.Of;
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
            var windows = Union(runs.Select(window).ToList());
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
    /// <param name="window">Each run's window as the counter's marker records time it
    /// (<see cref="KernelPhaseAttribution.Windows"/>); null: the runs' own.</param>
    /// <param name="witnesses">The counter's record of each count (witness mode), or null: then a figure that differs
    /// is a difference, with no event told apart as unordered.</param>
    internal static (List<PhaseCrossCheckFigure> Figures, List<PhaseCrossCheckTime> OnCpu) CompareActivity(IReadOnlyList<Phase> phases,
        IReadOnlyList<ContextSwitchEvent> switches, IReadOnlyList<PageFaultEvent>? faults, IReadOnlyList<CpuSlice> slices, IReadOnlyList<PhaseActivityCount> activity,
        long captureEndNs, long cutNs, Func<Phase, KernelRunWindow>? window = null, IReadOnlyList<ActivityWitness>? witnesses = null)
    {
        window ??= KernelRunWindow.Of;
        switches = switches.Where(e => e.TimeNs < cutNs).ToList();
        faults = faults?.Where(e => e.TimeNs < cutNs).ToList();
        var figures = new List<PhaseCrossCheckFigure>();
        var times = new List<PhaseCrossCheckTime>();
        foreach (var path in phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).GroupBy(p => p.Path).OrderBy(g => g.Min(p => p.StartNs)))
        {
            var runs = new HashSet<Phase>(path, ReferenceEqualityComparer.Instance);
            var windows = Union(path.Select(window).Select(w => w.End >= captureEndNs ? w with { End = Math.Max(w.End, cutNs), EndFrom = Math.Max(w.EndFrom, cutNs) } : w).ToList());
            var counted = activity.Where(a => a.Runs.Any(runs.Contains)).ToList();

            void Add(string figure, IEnumerable<(int Tid, long TimeNs)> events, Func<PhaseActivityCount, long> kernel)
            {
                var all = events.ToList();
                var full = all.Where(e => Covers(windows, e.TimeNs)).GroupBy(e => e.Tid).ToDictionary(g => g.Key, g => g.LongCount());
                var inKernel = counted.GroupBy(a => a.Tid).ToDictionary(g => g.Key, g => g.Sum(kernel));
                var differing = full.Keys.Union(inKernel.Keys).Where(t => full.GetValueOrDefault(t) != inKernel.GetValueOrDefault(t)).Order().ToList();
                long unordered = 0;
                var unorderedTids = new List<int>();
                if (witnesses is not null)
                {
                    foreach (int tid in differing.ToList())
                    {
                        var mine = witnesses.Where(w => w.Tid == tid && w.Figure == figure && w.TimeNs < cutNs).OrderBy(w => w.TimeNs).ToList();
                        if (Unordered(all.Where(e => e.Tid == tid).Select(e => e.TimeNs).Order().ToList(), mine, runs, windows,
                                full.GetValueOrDefault(tid), inKernel.GetValueOrDefault(tid)) is { } n)
                        {
                            unordered += n;
                            unorderedTids.Add(tid);
                            differing.Remove(tid);
                        }
                    }
                }
                figures.Add(new PhaseCrossCheckFigure(path.Key, figure, full.Values.Sum(), inKernel.Values.Sum(), differing)
                {
                    Unordered = unordered,
                    UnorderedTids = unorderedTids,
                });
            }
            Add("voluntarySwitches", switches.Where(c => c.Voluntary).Select(c => (c.Tid, c.TimeNs)), a => a.VoluntarySwitches);
            Add("involuntarySwitches", switches.Where(c => !c.Voluntary).Select(c => (c.Tid, c.TimeNs)), a => a.InvoluntarySwitches);
            if (faults is not null)
            {
                Add("minorFaults", faults.Where(f => !f.Major).Select(f => (f.Tid, f.TimeNs)), a => a.MinorFaults);
                Add("majorFaults", faults.Where(f => f.Major).Select(f => (f.Tid, f.TimeNs)), a => a.MajorFaults);
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

    // How many of one thread's events in one figure the two ways place on opposite sides of one of the path's
    // boundaries with no clock able to order them, when that explains the whole difference; else null.
    // - Full mode's events (TIMES, in time order) are paired in order with the kernel's records of the same counts
    //   (MINE). A pair is trusted only when no other reading of the thread's events falls between its two: a count
    //   missing on one side and an extra one elsewhere would shift the pairs between them, and each shifted pair would
    //   hold its neighbour's reading. The two readings of one event can lie far apart on a VM, whose CPU the host may
    //   take away between them (seen: 59 us, where the thread's switches were 88 us apart).
    // - A pair placed differently is unordered when the span of its readings (full mode's timestamp, and the two clock
    //   reads around the kernel's read of the set) overlaps the span in which one of the path's boundaries changed it.
    private static long? Unordered(List<long> times, List<ActivityWitness> mine, HashSet<Phase> runs, List<KernelRunWindow> windows, long full, long kernel)
    {
        if (times.Count != mine.Count || times.Count == 0)
        {
            return null;
        }
        long unordered = 0, fullIn = 0, kernelIn = 0;
        for (int i = 0; i < times.Count; i++)
        {
            long t = times[i];
            var w = mine[i];
            long lo = Math.Min(t, w.TimeNs), hi = Math.Max(t, w.TimeNs);
            bool Inside(long x) => x >= lo && x <= hi;
            if ((i > 0 && (Inside(times[i - 1]) || Inside(mine[i - 1].TimeNs)))
                || (i + 1 < times.Count && (Inside(times[i + 1]) || Inside(mine[i + 1].TimeNs))))
            {
                return null;
            }
            bool inFull = Covers(windows, t), inKernel = w.Runs.Any(runs.Contains);
            fullIn += inFull ? 1 : 0;
            kernelIn += inKernel ? 1 : 0;
            if (inFull == inKernel)
            {
                continue;
            }
            long from = Math.Min(t, w.TimeNs), to = Math.Max(t, w.BracketNs);
            if (!windows.Any(b => (b.StartFrom <= to && from <= b.Start) || (b.EndFrom <= to && from <= b.End)))
            {
                return null;
            }
            unordered++;
        }
        // The records must be the counts themselves, and full mode's events its figure.
        return fullIn == full && kernelIn == kernel ? unordered : null;
    }

    // The runs' windows ([start, end)) merged where they overlap or touch (runs of one path on several threads), in
    // start order: a time is in some run exactly when it is in one of these. A merged window keeps the clock spans of
    // its outer edges.
    private static List<KernelRunWindow> Union(List<KernelRunWindow> runs)
    {
        var merged = new List<KernelRunWindow>();
        foreach (var r in runs.Where(r => r.End > r.Start).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
            {
                if (r.End > merged[^1].End)
                {
                    merged[^1] = merged[^1] with { End = r.End, EndFrom = r.EndFrom };
                }
            }
            else
            {
                merged.Add(r);
            }
        }
        return merged;
    }

    private static bool Covers(List<KernelRunWindow> windows, long timeNs)
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
