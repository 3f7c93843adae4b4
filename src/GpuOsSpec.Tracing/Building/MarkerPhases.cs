namespace GpuOsSpec.Tracing.Building;

/// <summary>
/// Turns gpuos begin/end markers into phases, per thread, nesting as the program nested them. Markers are taken in
/// time order: their sequence numbers start again in every process image (after an exec) and every forked child, so
/// they order nothing across images. An exec ends every phase the old image left open (nothing in it runs at exec to
/// say so); a forked child began none of its parent's phases.
/// </summary>
internal static class MarkerPhases
{
    private enum EventKind
    {
        Fork,
        Exec,
        Marker,
    }

    // Forks and execs sort before a marker stamped in the same nanosecond: the marker can only come after them.
    private readonly record struct Event(long TimeNs, EventKind Kind, int Pid, int Tid, int ParentTid, MarkerRecord Marker);

    /// <summary>The phases the markers describe.</summary>
    /// <param name="markers">The markers read, in any
    /// order.</param>
    /// <param name="execs">Successful execs (process, thread, time of the return).</param>
    /// <param name="forks">Thread and process births (PERF_RECORD_FORK: pid, tid, parent tid, time).</param>
    /// <param name="captureEndNs">Where phases still open at the end of the capture end.</param>
    /// <param name="notes">Receives what the reader must know: phases closed by an exec or by the capture's end,
    /// markers lost.</param>
    internal static List<Phase> Build(IReadOnlyList<MarkerRecord> markers, IReadOnlyList<(int Pid, int Tid, long TimeNs)> execs,
        IReadOnlyList<(int Pid, int Tid, int ParentTid, long TimeNs)> forks, long captureEndNs, List<string> notes)
    {
        var events = markers.Select(m => new Event(m.TimeNs, EventKind.Marker, m.Pid, m.Tid, 0, m))
            .Concat(execs.Select(e => new Event(e.TimeNs, EventKind.Exec, e.Pid, e.Tid, 0, default)))
            // A new process is a fork whose new tid is its own pid; a new thread inherits no gpuos state.
            .Concat(forks.Where(f => f.Pid == f.Tid).Select(f => new Event(f.TimeNs, EventKind.Fork, f.Pid, f.Tid, f.ParentTid, default)))
            .OrderBy(e => e.TimeNs).ThenBy(e => e.Kind).ThenBy(e => e.Marker.Sequence);

        var phases = new List<Phase>();
        var open = new Dictionary<int, Stack<MarkerRecord>>();
        var pidOf = new Dictionary<int, int>();
        // Per forked child's thread: the names of the phases open in its parent process when it was forked.
        var inherited = new Dictionary<int, List<string>>();
        int unmatched = 0, inheritedEnds = 0, instants = 0;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case EventKind.Fork:
                    int parentPid = pidOf.GetValueOrDefault(e.ParentTid, -1);
                    var names = open.Where(kv => pidOf.GetValueOrDefault(kv.Key) == parentPid).SelectMany(kv => kv.Value.Select(m => m.Name)).ToList();
                    if (names.Count > 0)
                    {
                        inherited[e.Tid] = names;
                    }
                    break;
                case EventKind.Exec:
                    inherited.Remove(e.Tid);
                    foreach (int tid in pidOf.Where(kv => kv.Value == e.Pid).Select(kv => kv.Key).ToList())
                    {
                        if (open.TryGetValue(tid, out var stack))
                        {
                            while (stack.Count > 0)
                            {
                                notes.Add($"gpuos phase \"{stack.Peek().Name}\" on thread {tid} was still open when process {e.Pid} called exec; it ends at the exec, marked abandoned.");
                                phases.Add(Close(stack, e.TimeNs, abandoned: true));
                            }
                        }
                        inherited.Remove(tid);
                        pidOf.Remove(tid);
                    }
                    break;
                default:
                    var m = e.Marker;
                    pidOf[m.Tid] = m.Pid;
                    if (!open.TryGetValue(m.Tid, out var thread))
                    {
                        thread = open[m.Tid] = new Stack<MarkerRecord>();
                    }
                    switch (m.Kind)
                    {
                        case MarkerKind.Begin:
                            thread.Push(m);
                            break;
                        case MarkerKind.End or MarkerKind.Abandoned when thread.Count > 0 && thread.Peek().Name == m.Name:
                            phases.Add(Close(thread, m.TimeNs, m.Kind == MarkerKind.Abandoned));
                            break;
                        case MarkerKind.End or MarkerKind.Abandoned when inherited.TryGetValue(m.Tid, out var from) && from.Remove(m.Name):
                            // An older libgpuos let a forked child end (or abandon at exit) a phase its parent opened.
                            inheritedEnds++;
                            break;
                        case MarkerKind.End or MarkerKind.Abandoned:
                            unmatched++;
                            break;
                        default:
                            instants++;
                            break;
                    }
                    break;
            }
        }
        foreach (var (tid, stack) in open)
        {
            while (stack.Count > 0)
            {
                notes.Add($"gpuos phase \"{stack.Peek().Name}\" on thread {tid} was still open when the capture ended; it ends there.");
                phases.Add(Close(stack, captureEndNs, abandoned: true));
            }
        }
        if (inheritedEnds > 0)
        {
            notes.Add($"{inheritedEnds} gpuos end marker(s) came from forked children for phases they inherited from their parent (a libgpuos older than its fork handler); the parent's phases are unchanged.");
        }
        if (unmatched > 0)
        {
            notes.Add($"{unmatched} gpuos end marker(s) matched no open phase on their thread (the library refuses such ends, so a marker was lost).");
        }
        if (instants > 0)
        {
            notes.Add($"{instants:N0} gpuos instant marker(s) seen.");
        }
        return phases;
    }

    private static Phase Close(Stack<MarkerRecord> open, long endNs, bool abandoned)
    {
        var begin = open.Pop();
        string path = string.Join('/', open.Reverse().Select(o => o.Name).Append(begin.Name));
        return new Phase(begin.Name, path, begin.TimeNs, endNs, begin.Tid)
        {
            Class = begin.Class,
            Origin = PhaseOrigin.GpuOsMarkers,
            Abandoned = abandoned,
            BeginSequence = begin.Sequence,
        };
    }
}
