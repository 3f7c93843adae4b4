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
        // Runs by (thread, begin sequence), in start order: a thread's sequence numbers start again after an exec.
        var byBegin = phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers)
            .GroupBy(p => (p.Tid, p.BeginSequence))
            .ToDictionary(g => g.Key, g => new Queue<Phase>(g.OrderBy(p => p.StartNs)));
        var runOf = new Dictionary<ulong, Phase>();
        var pidOf = new Dictionary<ulong, int>();
        int unmatchedRuns = 0;
        foreach (var e in capture.Events.Where(e => e.Kind == KernelPhaseEvent.Marker && e.MarkerKind == 1 && e.Instance != 0))
        {
            pidOf[e.Instance] = e.Pid;
            if (byBegin.TryGetValue((e.Tid, e.Sequence), out var queue) && queue.Count > 0)
            {
                runOf[e.Instance] = queue.Dequeue();
            }
            else
            {
                unmatchedRuns++;
            }
        }

        var sets = new Dictionary<ulong, ulong[]> { [0] = [] };
        for (bool progress = true; progress;)
        {
            progress = false;
            foreach (var e in capture.Events)
            {
                if (e.SetBefore == e.SetAfter || sets.ContainsKey(e.SetAfter) || !sets.TryGetValue(e.SetBefore, out var before))
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
                    sets[e.SetAfter] = after;
                    progress = true;
                }
            }
        }

        var counts = new List<PhaseSyscallCount>();
        var unresolved = new HashSet<ulong>();
        var unnamed = new HashSet<ulong>();
        foreach (var cell in capture.Cells)
        {
            if (!sets.TryGetValue(cell.Set, out var members))
            {
                unresolved.Add(cell.Set);
                continue;
            }
            var runs = new List<Phase>(members.Length);
            foreach (ulong instance in members)
            {
                if (runOf.TryGetValue(instance, out var run))
                {
                    runs.Add(run);
                }
                else
                {
                    unnamed.Add(instance);
                }
            }
            counts.Add(new PhaseSyscallCount(cell.Tid, table.Name(cell.Number), cell.Calls, cell.Errors, runs));
        }
        string? why = unresolved.Count > 0 ? $"{unresolved.Count:N0} open set(s) of the kernel's counts match no chain of marker records"
            : unnamed.Count > 0 ? $"{unnamed.Count:N0} phase run(s) holding counts match no phase the markers built ({unmatchedRuns:N0} of the begins the kernel saw matched none)"
            : null;
        return why is null ? (counts, null) : ([], why);
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
