namespace GpuOsSpec.Tracing.Building;

/// <summary>
/// Places hybrid mode's in-kernel syscall counts in the phase runs they belong to. Each count carries the open set: the
/// sum of gos_mix(instance) over the phase runs open anywhere when it was taken (src/GpuOsSpec.Tracing/Bpf/phases.h).
/// Chaining the ring buffer's records from the empty set (a begin adds its run, an end removes it, an exec removes
/// every run of its process) names each set's runs; a run is matched to the <see cref="Phase"/> the perf markers built
/// by its begin marker's thread and sequence number.
/// </summary>
internal static class KernelPhaseAttribution
{
    /// <summary>The counts with their runs, or the reason they cannot be placed (a set no record chain reaches, a run
    /// with no phase): then no count is placed, since a partial placement would undercount.</summary>
    internal static (List<PhaseSyscallCount> Counts, string? Unplaced) Build(KernelPhaseCapture capture, IReadOnlyList<Phase> phases, SyscallTable table)
    {
        var placer = new Placer(capture, phases);
        var counts = new List<PhaseSyscallCount>();
        foreach (var cell in capture.Cells)
        {
            if (placer.Runs(cell.Set) is { } runs)
            {
                counts.Add(new PhaseSyscallCount(cell.Tid, table.Name(cell.Number), cell.Calls, cell.Errors, runs));
            }
        }
        return placer.Why() is { } why ? ([], why) : (counts, null);
    }

    /// <summary>The kernel's switches, faults and on-CPU time with their runs, or the reason they are not measured
    /// (the counter did not count them, or a set or run cannot be placed): then none is placed.</summary>
    internal static (List<PhaseActivityCount> Activity, string? Unplaced) BuildActivity(KernelPhaseCapture capture, IReadOnlyList<Phase> phases)
    {
        if (capture.Activity is not { } cells)
        {
            return ([], capture.ActivityUnavailable ?? "the kernel's switch and fault counts were not read");
        }
        var placer = new Placer(capture, phases);
        var activity = new List<PhaseActivityCount>();
        foreach (var cell in cells)
        {
            if (placer.Runs(cell.Set) is { } runs)
            {
                activity.Add(new PhaseActivityCount(cell.Tid, cell.Voluntary, cell.Involuntary, cell.MinorFaults, cell.MajorFaults, cell.OnCpuNs, runs));
            }
        }
        return placer.Why() is { } why ? ([], why) : (activity, null);
    }

    /// <summary>
    /// Each gpuos run's window as the kernel's own marker records time it: from its begin to its end (or to the exec
    /// that closed it), where a record's time was read just after the open set changed (phases.bpf.c's gos_marker).
    /// Full mode's cross-check places events in these, so both ways put another thread's event on the same side of a
    /// boundary as far as the clocks can order them; the perf sample of the same marker is stamped later, in another
    /// handler of the probe hit. A run the records do not name keeps the trace's window.
    /// </summary>
    internal static Func<Phase, KernelRunWindow> Windows(KernelPhaseCapture capture, IReadOnlyList<Phase> phases)
    {
        // The runs named as the syscall and activity counts' are (the begin marker's thread and sequence number).
        var runOf = new Placer(capture, phases).RunOf;
        var open = new Dictionary<ulong, (Phase Run, long Start, long StartFrom, int Pid)>();
        var windows = new Dictionary<Phase, KernelRunWindow>(ReferenceEqualityComparer.Instance);
        static long From(KernelPhaseEvent e) => e.BracketNs != 0 ? e.BracketNs : e.TimeNs;
        foreach (var e in capture.Events.Where(e => e.Kind is KernelPhaseEvent.Marker or KernelPhaseEvent.Exec).OrderBy(e => e.TimeNs))
        {
            if (e.Kind == KernelPhaseEvent.Marker && e.MarkerKind == 1 && runOf.TryGetValue(e.Instance, out var run))
            {
                open[e.Instance] = (run, e.TimeNs, From(e), e.Pid);
            }
            else if (e.Kind == KernelPhaseEvent.Marker && e.MarkerKind is 2 or 4 && open.Remove(e.Instance, out var ended))
            {
                windows[ended.Run] = new(ended.Start, e.TimeNs, ended.StartFrom, From(e));
            }
            else if (e.Kind == KernelPhaseEvent.Exec)
            {
                foreach (var (instance, closed) in open.Where(o => o.Value.Pid == e.Pid).ToList())
                {
                    windows[closed.Run] = new(closed.Start, e.TimeNs, closed.StartFrom, e.TimeNs);
                    open.Remove(instance);
                }
            }
        }
        foreach (var run in open.Values)
        {
            windows[run.Run] = new(run.Start, run.Run.EndNs, run.StartFrom, run.Run.EndNs);
        }
        return p => windows.TryGetValue(p, out var w) ? w : KernelRunWindow.Of(p);
    }

    /// <summary>Witness mode's records of each counted switch and fault with the runs of the set each was counted
    /// under, or the reason they cannot be placed (then none is).</summary>
    internal static (List<ActivityWitness> Witnesses, string? Unplaced) BuildWitnesses(KernelPhaseCapture capture, IReadOnlyList<Phase> phases)
    {
        var placer = new Placer(capture, phases);
        var witnesses = new List<ActivityWitness>();
        foreach (var e in capture.Events.Where(e => e.Kind == KernelPhaseEvent.Activity))
        {
            string? figure = e.MarkerKind switch
            {
                1 => "voluntarySwitches",
                2 => "involuntarySwitches",
                3 => "minorFaults",
                4 => "majorFaults",
                _ => null,
            };
            if (figure is not null && placer.Runs(e.SetAfter) is { } runs)
            {
                witnesses.Add(new ActivityWitness(e.Tid, figure, e.TimeNs, e.BracketNs, runs));
            }
        }
        return placer.Why() is { } why ? ([], why) : (witnesses, null);
    }

    // Names each open set's runs from the ring buffer's records, and remembers what it could not name.
    private sealed class Placer
    {
        private readonly Dictionary<ulong, Phase> _runOf = [];
        private readonly Dictionary<ulong, ulong[]> _sets = new() { [0] = [] };
        private readonly HashSet<ulong> _unresolved = [];
        private readonly HashSet<ulong> _unnamed = [];
        private readonly int _unmatchedRuns;

        // Each run (by its instance) as the phase the markers built.
        internal IReadOnlyDictionary<ulong, Phase> RunOf => _runOf;

        internal Placer(KernelPhaseCapture capture, IReadOnlyList<Phase> phases)
        {
            // Runs by (thread, begin sequence), in start order: a thread's sequence numbers start again after an exec.
            var byBegin = phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers)
                .GroupBy(p => (p.Tid, p.BeginSequence))
                .ToDictionary(g => g.Key, g => new Queue<Phase>(g.OrderBy(p => p.StartNs)));
            var pidOf = new Dictionary<ulong, int>();
            foreach (var e in capture.Events.Where(e => e.Kind == KernelPhaseEvent.Marker && e.MarkerKind == 1 && e.Instance != 0))
            {
                pidOf[e.Instance] = e.Pid;
                if (byBegin.TryGetValue((e.Tid, e.Sequence), out var queue) && queue.Count > 0)
                {
                    _runOf[e.Instance] = queue.Dequeue();
                }
                else
                {
                    _unmatchedRuns++;
                }
            }

            for (bool progress = true; progress;)
            {
                progress = false;
                foreach (var e in capture.Events)
                {
                    if (e.SetBefore == e.SetAfter || _sets.ContainsKey(e.SetAfter) || !_sets.TryGetValue(e.SetBefore, out var before))
                    {
                        continue;
                    }
                    ulong[] after = e.Kind switch
                    {
                        KernelPhaseEvent.Marker when e.MarkerKind == 1 => [.. before, e.Instance],
                        KernelPhaseEvent.Marker when e.MarkerKind is 2 or 4 => before.Where(i => i != e.Instance).ToArray(),
                        KernelPhaseEvent.Exec => before.Where(i => pidOf.GetValueOrDefault(i) != e.Pid).ToArray(),
                        _ => before,
                    };
                    if (Sum(after) == e.SetAfter)
                    {
                        _sets[e.SetAfter] = after;
                        progress = true;
                    }
                }
            }
        }

        // The runs of a set, or null (remembered) when the set or one of its runs cannot be named.
        internal List<Phase>? Runs(ulong set)
        {
            if (!_sets.TryGetValue(set, out var members))
            {
                _unresolved.Add(set);
                return null;
            }
            var runs = new List<Phase>(members.Length);
            foreach (ulong instance in members)
            {
                if (_runOf.TryGetValue(instance, out var run))
                {
                    runs.Add(run);
                }
                else
                {
                    _unnamed.Add(instance);
                }
            }
            return runs;
        }

        internal string? Why() =>
            _unresolved.Count > 0 ? $"{_unresolved.Count:N0} open set(s) of the kernel's counts match no chain of marker records"
            : _unnamed.Count > 0 ? $"{_unnamed.Count:N0} phase run(s) holding counts match no phase the markers built ({_unmatchedRuns:N0} of the begins the kernel saw matched none)"
            : null;
    }

    private static ulong Sum(ulong[] instances)
    {
        ulong sum = 0;
        foreach (ulong i in instances)
        {
            sum += Mix(i);
        }
        return sum;
    }

    // phases.h's gos_mix (splitmix64's finalizer).
    private static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebUL;
        x ^= x >> 31;
        return x;
    }
}
