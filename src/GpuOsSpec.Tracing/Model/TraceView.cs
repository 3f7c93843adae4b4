using GpuOsSpec.Tracing.Decoding;

namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// A filtered look at a <see cref="Trace"/>: by phase, by thread origin and by thread. Views are immutable;
/// each filter returns a new one.
/// </summary>
public sealed class TraceView
{
    private readonly HashSet<int>? _tids;
    private readonly HashSet<int> _originTids;

    internal TraceView(Trace trace, Phase? phase, ThreadOrigin origins, HashSet<int>? tids)
    {
        Trace = trace;
        PhaseFilter = phase;
        Origins = origins;
        _tids = tids;
        _originTids = trace.Threads.Where(t => (t.Origin & origins) != 0 || (t.Origin == ThreadOrigin.None && origins == ThreadOrigin.All))
            .Select(t => t.Tid).ToHashSet();
    }

    /// <summary>The trace this view looks at.</summary>
    public Trace Trace { get; }

    /// <summary>The phase the view is limited to, or null for the whole capture.</summary>
    public Phase? PhaseFilter { get; }

    /// <summary>The thread origins the view includes.</summary>
    public ThreadOrigin Origins { get; }

    /// <summary>"phase steady, workload+GPU runtime threads"-style description for messages.</summary>
    public string Describe()
    {
        string where = PhaseFilter is null ? "the whole capture" : $"phase \"{PhaseFilter.Path}\"";
        string who = Origins switch
        {
            ThreadOrigin.All => "all threads",
            ThreadOrigin.Default => "workload and GPU-runtime threads",
            _ => $"{Origins} threads",
        };
        if (_tids is not null)
        {
            who += $" limited to tid {string.Join(",", _tids)}";
        }
        return $"{where}, {who}";
    }

    /// <summary>True when the view covers the whole capture and every thread, so kernel-side counters apply.</summary>
    public bool IsWhole => PhaseFilter is null && Origins == ThreadOrigin.All && _tids is null;

    /// <summary>Limits the view to one phase.</summary>
    public TraceView InPhase(string nameOrPath) => new(Trace, Trace.FindPhase(nameOrPath), Origins, _tids);

    /// <summary>Limits the view to threads of these origins.</summary>
    public TraceView FromOrigins(ThreadOrigin origins) => new(Trace, PhaseFilter, origins, _tids);

    /// <summary>Limits the view to these threads.</summary>
    public TraceView OnThreads(params int[] tids) => new(Trace, PhaseFilter, Origins, tids.ToHashSet());

    /// <summary>True when events of <paramref name="tid"/> at <paramref name="timeNs"/> belong to this view.</summary>
    public bool Includes(int tid, long timeNs) =>
        _originTids.Contains(tid) && (_tids is null || _tids.Contains(tid)) && (PhaseFilter is null || PhaseFilter.Contains(timeNs));

    /// <summary>The syscalls recorded per event in this view.</summary>
    public IEnumerable<SyscallEvent> Syscalls => Trace.Syscalls.Where(s => Includes(s.Tid, s.EnterNs));

    /// <summary>
    /// True when every syscall in the view is known one by one. False only in hybrid mode, where syscalls outside the
    /// decode set are counted for the whole capture and every thread, and cannot be split by phase or thread.
    /// </summary>
    public bool SyscallsComplete => Trace.SyscallsMeasured && (IsWhole || Trace.SyscallTotals.All(t => t.PerEvent));

    /// <summary>Totals per syscall name in this view.</summary>
    public IReadOnlyList<SyscallTotal> SyscallTotals()
    {
        if (IsWhole)
        {
            return Trace.SyscallTotals;
        }
        return Syscalls.GroupBy(s => s.Name)
            .Select(g => new SyscallTotal(g.Key, SyscallRoles.Of(g.Key), g.LongCount(), g.LongCount(s => s.Failed),
                g.Sum(s => s.DurationNs ?? 0), true))
            .OrderByDescending(t => t.Count).ToList();
    }

    /// <summary>The number of syscalls in the view.</summary>
    public long SyscallCount() => IsWhole ? Trace.SyscallTotals.Sum(t => t.Count) : Syscalls.LongCount();

    /// <summary>Calls per syscall name.</summary>
    public IReadOnlyDictionary<string, long> CountByName() => SyscallTotals().ToDictionary(t => t.Name, t => t.Count);

    /// <summary>Calls per role, ioctls split by the role of their decoded request.</summary>
    public IReadOnlyDictionary<SyscallRole, long> CountByRole()
    {
        var roles = Enum.GetValues<SyscallRole>().ToDictionary(r => r, _ => 0L);
        if (IsWhole)
        {
            foreach (var t in Trace.SyscallTotals.Where(t => t.Name != "ioctl"))
            {
                roles[t.Role] += t.Count;
            }
            foreach (var s in Trace.Syscalls.Where(s => s.Name == "ioctl"))
            {
                roles[s.Role]++;
            }
            return roles;
        }
        foreach (var s in Syscalls)
        {
            roles[s.Role]++;
        }
        return roles;
    }

    /// <summary>Ioctl calls grouped by device and decoded request, most frequent first.</summary>
    public IReadOnlyList<IoctlTotal> Ioctls() =>
        Syscalls.Where(s => s.Ioctl is not null)
            .GroupBy(s => (s.Ioctl!.Device, s.Ioctl.DisplayName))
            .Select(g => new IoctlTotal(g.Key.Device, g.Key.DisplayName, g.First().Role, g.LongCount(), g.LongCount(s => s.Failed), g.First().Ioctl!.Known))
            .OrderByDescending(i => i.Count).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();

    /// <summary>Context switches in the view (recorded per event).</summary>
    public IEnumerable<ContextSwitchEvent> ContextSwitches => Trace.ContextSwitches.Where(c => Includes(c.Tid, c.TimeNs));

    /// <summary>Voluntary context switches, from events when recorded, else the whole-capture total when the view is whole.</summary>
    public Measurement VoluntarySwitches() => Switches(true);

    /// <summary>Involuntary context switches, likewise.</summary>
    public Measurement InvoluntarySwitches() => Switches(false);

    /// <summary>Page faults in the view (recorded per event).</summary>
    public IEnumerable<PageFaultEvent> PageFaults => Trace.PageFaults.Where(f => Includes(f.Tid, f.TimeNs));

    /// <summary>Minor page faults.</summary>
    public Measurement MinorFaults() => Faults(false);

    /// <summary>Major page faults.</summary>
    public Measurement MajorFaults() => Faults(true);

    /// <summary>Mapping changes in the view.</summary>
    public IEnumerable<MappingChange> MappingChanges => Trace.MappingChanges.Where(m => Includes(m.Tid, m.TimeNs));

    /// <summary>
    /// .NET runtime events raised by the view's threads in its window: a GC counts against the thread that triggered it.
    /// Events of threads the capture never saw (the tracer's own EventPipe I/O threads) are left out.
    /// </summary>
    public IEnumerable<RuntimeEvent> RuntimeEvents => Trace.RuntimeEvents.Where(e => Includes(e.Tid, e.TimeNs));

    /// <summary>Threads that have at least one event in the view.</summary>
    public IEnumerable<TraceThread> ActiveThreads()
    {
        var tids = Syscalls.Select(s => s.Tid).Concat(ContextSwitches.Select(c => c.Tid)).ToHashSet();
        return Trace.Threads.Where(t => tids.Contains(t.Tid));
    }

    private Measurement Switches(bool voluntary)
    {
        if (Trace.ContextSwitchEventsRecorded)
        {
            return new Measurement(ContextSwitches.LongCount(c => c.Voluntary == voluntary), Trace.Source);
        }
        var total = voluntary ? Trace.VoluntarySwitches : Trace.InvoluntarySwitches;
        return PhaseFilter is null ? total : Measurement.Absent($"context switches were counted for the whole capture only ({total.Source}), not per phase");
    }

    private Measurement Faults(bool major)
    {
        if (Trace.PageFaultEventsRecorded)
        {
            return new Measurement(PageFaults.LongCount(f => f.Major == major), Trace.Source);
        }
        var total = major ? Trace.MajorFaults : Trace.MinorFaults;
        return PhaseFilter is null ? total : Measurement.Absent($"page faults were counted for the whole capture only ({total.Source}), not per phase");
    }
}
