namespace GpuOsSpec.Tracing.Building;

/// <summary>Pairs API entry and return probe hits per thread and attributes each thread's events to its innermost open
/// call (perf samples), or takes the calls the kernel paired and counted.</summary>
internal static class ApiAttribution
{
    private readonly record struct Span(int Function, int Tid, long Start, long End);

    // Faults are null when they were not recorded: the calls' faults are then not measured (null), never 0.

    internal static List<ApiCall> Build(IReadOnlyList<(int Tid, long TimeNs, int Function, bool Return)> hits, IReadOnlyList<(string Name, string Library)> functions,
        IReadOnlyList<SyscallEvent> calls, IReadOnlyList<ContextSwitchEvent> switches, IReadOnlyList<PageFaultEvent>? faults, List<string> notes)
    {
        var spans = new List<Span>();
        int unmatched = 0;
        foreach (var thread in hits.GroupBy(h => h.Tid))
        {
            var open = new Stack<(int Function, long Start)>();
            foreach (var hit in thread.OrderBy(h => h.TimeNs))
            {
                if (!hit.Return)
                {
                    open.Push((hit.Function, hit.TimeNs));
                }
                else if (!open.Any(o => o.Function == hit.Function))
                {
                    unmatched++;
                }
                else
                {
                    // The return closes the innermost call of its function; calls above it that never returned (a
                    // longjmp, an exception through C frames) close with it.
                    while (open.Pop() is var top)
                    {
                        spans.Add(new Span(top.Function, thread.Key, top.Start, hit.TimeNs));
                        if (top.Function == hit.Function)
                        {
                            break;
                        }
                    }
                }
            }
            spans.AddRange(open.Select(o => new Span(o.Function, thread.Key, o.Start, -1)));
        }
        if (unmatched > 0)
        {
            notes.Add($"{unmatched:N0} API return(s) had no entry on their thread (the call began before the capture).");
        }
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));

        // Per thread, one sweep in time over spans and events with a stack of the calls open at each event.
        var counts = new int[spans.Count, 5];
        var events = calls.Select(c => (c.Tid, Time: c.EnterNs, Slot: c.Ioctl is null ? 0 : 1))
            .Concat(switches.Select(s => (s.Tid, Time: s.TimeNs, Slot: s.Voluntary ? 2 : 3)))
            .Concat((faults ?? []).Select(f => (f.Tid, Time: f.TimeNs, Slot: 4)))
            .GroupBy(e => e.Tid).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Time).ToList());
        foreach (var thread in spans.Select((s, i) => (s, i)).GroupBy(x => x.s.Tid))
        {
            if (!events.TryGetValue(thread.Key, out var list))
            {
                continue;
            }
            var pending = thread.ToList();
            int next = 0;
            var active = new Stack<(Span S, int I)>();
            foreach (var (_, time, slot) in list)
            {
                while (next < pending.Count && pending[next].s.Start <= time)
                {
                    Close(active, pending[next].s.Start);
                    active.Push(pending[next]);
                    next++;
                }
                Close(active, time);
                if (active.Count > 0)
                {
                    int i = active.Peek().I;
                    counts[i, slot == 1 ? 0 : slot]++;
                    if (slot == 1)
                    {
                        counts[i, 1]++;
                    }
                }
            }
        }
        return spans.Select((s, i) => new ApiCall(functions[s.Function].Name, functions[s.Function].Library, s.Tid, s.Start, s.End)
        {
            Syscalls = counts[i, 0],
            Ioctls = counts[i, 1],
            VoluntarySwitches = counts[i, 2],
            InvoluntarySwitches = counts[i, 3],
            PageFaults = faults is null ? null : counts[i, 4],
        }).ToList();
    }

    /// <summary>The calls the kernel counted (<see cref="KernelApiCounter"/>): already paired and attributed, one
    /// record each, in entry order.</summary>
    internal static List<ApiCall> FromKernel(IReadOnlyList<KernelApiRecord> records, IReadOnlyList<(string Name, string Library)> functions) =>
        records.Where(r => (uint)r.Function < (uint)functions.Count)
            .OrderBy(r => r.StartNs)
            .Select(r => new ApiCall(functions[r.Function].Name, functions[r.Function].Library, r.Tid, r.StartNs, r.EndNs)
            {
                Syscalls = r.Syscalls,
                Ioctls = r.Ioctls,
                VoluntarySwitches = r.VoluntarySwitches,
                InvoluntarySwitches = r.InvoluntarySwitches,
                PageFaults = r.PageFaults,
            })
            .ToList();

    // Calls that returned before the time leave the stack.
    private static void Close(Stack<(Span S, int I)> active, long time)
    {
        while (active.Count > 0 && active.Peek().S.End >= 0 && active.Peek().S.End < time)
        {
            active.Pop();
        }
    }
}
