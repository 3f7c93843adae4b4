namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// A filtered look at a <see cref="Trace"/>: by phase, by thread origin and by thread. Views are immutable;
/// each filter returns a new one.
/// </summary>
public sealed class TraceView
{
    private readonly HashSet<int>? _tids;
    private readonly HashSet<int> _originTids;

    private readonly IReadOnlyList<Phase>? _runs;

    // Runs of the phase left out at its start (AfterRuns), so Describe says which runs the view holds.
    private readonly int _skippedRuns;

    internal TraceView(Trace trace, IReadOnlyList<Phase>? runs, ThreadOrigin origins, HashSet<int>? tids, int skippedRuns = 0)
    {
        _skippedRuns = skippedRuns;
        Trace = trace;
        _runs = runs;
        PhaseFilter = runs?[0];
        Origins = origins;
        _tids = tids;
        _originTids = trace.Threads.Where(t => (t.Origin & origins) != 0 || (t.Origin == ThreadOrigin.None && origins == ThreadOrigin.All))
            .Select(t => t.Tid).ToHashSet();
    }

    private string SourceName => GpuOsSpec.Tracing.Model.CaptureNames.Of(Trace.Source);

    /// <summary>The trace this view looks at.</summary>
    public Trace Trace { get; }

    /// <summary>The phase the view is limited to (its first run), or null for the whole capture.</summary>
    public Phase? PhaseFilter { get; }

    /// <summary>Every run of the phase the view covers (a phase a loop opens once per step runs many times); empty for
    /// the whole capture.</summary>
    public IReadOnlyList<Phase> PhaseRuns => _runs ?? [];

    /// <summary>The thread origins the view includes.</summary>
    public ThreadOrigin Origins { get; }

    /// <summary>"phase steady, workload+GPU runtime threads"-style description for messages.</summary>
    public string Describe()
    {
        string runs = _skippedRuns > 0 ? $" (runs {_skippedRuns + 1} to {_skippedRuns + PhaseRuns.Count} of {_skippedRuns + PhaseRuns.Count})"
            : PhaseRuns.Count > 1 ? $" ({PhaseRuns.Count} runs)" : "";
        string where = PhaseFilter is null ? "the whole capture" : $"phase \"{PhaseFilter.Path}\"{runs}";
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

    /// <summary>True when the view covers the whole capture and every thread.</summary>
    public bool IsWhole => PhaseFilter is null && Origins == ThreadOrigin.All && _tids is null;

    /// <summary>
    /// True when the view holds every traced thread over the whole capture, so syscalls the kernel only counted (hybrid
    /// mode) belong to it: in-kernel totals have no phase and no thread.
    /// </summary>
    public bool CoversCountedTotals => PhaseFilter is null && _tids is null
        && Trace.Threads.All(t => t.Origin == ThreadOrigin.Tracer || _originTids.Contains(t.Tid));

    /// <summary>Limits the view to one phase.</summary>
    public TraceView InPhase(string nameOrPath) => new(Trace, Trace.FindPhaseRuns(nameOrPath), Origins, _tids);

    /// <summary>Limits the view to threads of these origins.</summary>
    public TraceView FromOrigins(ThreadOrigin origins) => new(Trace, _runs, origins, _tids, _skippedRuns);

    /// <summary>Limits the view to these threads.</summary>
    public TraceView OnThreads(params int[] tids) => new(Trace, _runs, Origins, tids.ToHashSet(), _skippedRuns);

    /// <summary>
    /// Limits a phase's view to its runs after the first <paramref name="count"/>: a loop's warm steps, without the
    /// first, which loads kernels, fills caches and starts helper threads.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the view is not limited to a phase.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="count"/> is negative, or leaves no
    /// run.</exception>
    public TraceView AfterRuns(int count)
    {
        if (_runs is null)
        {
            throw new InvalidOperationException("Only a phase's view has runs to leave out; limit it to a phase first (InPhase).");
        }
        if (count < 0 || count >= _runs.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The phase \"{_runs[0].Path}\" ran {_runs.Count} time(s); leaving out {count} must leave at least one run.");
        }
        return count == 0 ? this : new TraceView(Trace, _runs.Skip(count).ToList(), Origins, _tids, _skippedRuns + count);
    }

    /// <summary>True when events of <paramref name="tid"/> at <paramref name="timeNs"/> belong to this view.</summary>
    public bool Includes(int tid, long timeNs) =>
        _originTids.Contains(tid) && (_tids is null || _tids.Contains(tid)) && (_runs is null || InRuns(timeNs));

    private bool InRuns(long timeNs)
    {
        foreach (var run in _runs!)
        {
            if (run.Contains(timeNs))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The syscalls recorded per event in this view (in hybrid mode, the decode set only).</summary>
    public IEnumerable<SyscallEvent> Syscalls => Trace.Syscalls.Where(s => Includes(s.Tid, s.EnterNs));

    /// <summary>
    /// True when every syscall in the view is known, one by one or as an in-kernel total that belongs to the view.
    /// False when no source saw syscalls, or (hybrid mode) when syscalls the kernel only counted cannot be split by the
    /// view's phase or threads.
    /// </summary>
    public bool SyscallsComplete => SyscallsUnmeasured() is null;

    /// <summary>Why the view's syscall count is not measured, or null when it is.</summary>
    public string? SyscallsUnmeasured()
    {
        if (!Trace.SyscallsMeasured)
        {
            return "no syscall source was permitted, so syscalls were not measured (see the trace's notes for the fix)";
        }
        var counted = CountedOnly().ToList();
        return counted.Count == 0 ? null
            : $"{counted.Sum(t => t.Count):N0} calls ({string.Join(", ", counted.Take(5).Select(t => t.Name))}{(counted.Count > 5 ? $" and {counted.Count - 5} more" : "")}) were counted in the kernel for the whole capture only (hybrid mode), and in-kernel totals have no phase or thread";
    }

    // Syscalls the kernel counted (hybrid mode) that this view cannot claim or rule out: none where the view covers the
    // whole capture, or where the phase counter placed every count by thread and phase run.
    private IEnumerable<SyscallTotal> CountedOnly() =>
        CoversCountedTotals || Trace.PhaseSyscallsCounted ? [] : Trace.SyscallTotals.Where(t => !t.PerEvent && t.Count > 0);

    // Hybrid mode's phase counter: the counts of the view's threads taken while one of its phase's runs was open (any
    // run, counted once: a call recorded per event belongs to the view when it falls in any run's window).
    private IEnumerable<SyscallTotal> CountedInView()
    {
        var runs = _runs?.ToHashSet(ReferenceEqualityComparer.Instance);
        return Trace.PhaseSyscallCounts
            .Where(c => _originTids.Contains(c.Tid) && (_tids is null || _tids.Contains(c.Tid)) && (runs is null || c.Runs.Any(runs.Contains)))
            .GroupBy(c => c.Name)
            .Select(g => new SyscallTotal(g.Key, SyscallRoles.Of(g.Key), g.Sum(c => c.Calls), g.Sum(c => c.Errors), null, false))
            .Where(t => t.Count > 0);
    }

    /// <summary>
    /// Totals per syscall name in this view. In a hybrid trace, a view that does not cover every thread over the whole
    /// capture lists only the syscalls recorded per event (see <see cref="SyscallsComplete"/>).
    /// </summary>
    public IReadOnlyList<SyscallTotal> SyscallTotals()
    {
        if (CoversCountedTotals && IsWhole)
        {
            return Trace.SyscallTotals;
        }
        var totals = Syscalls.GroupBy(s => s.Name)
            .Select(g => new SyscallTotal(g.Key, SyscallRoles.Of(g.Key), g.LongCount(), g.LongCount(s => s.Failed),
                g.Sum(s => s.DurationNs ?? 0), true));
        if (CoversCountedTotals)
        {
            totals = totals.Concat(Trace.SyscallTotals.Where(t => !t.PerEvent));
        }
        else if (Trace.PhaseSyscallsCounted)
        {
            totals = totals.Concat(CountedInView());
        }
        return totals.OrderByDescending(t => t.Count).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The number of syscalls in the view, or not measured (with the reason).</summary>
    public Measurement SyscallCount() => SyscallsUnmeasured() is { } why
        ? Measurement.Absent(why)
        : new Measurement(SyscallTotals().Sum(t => t.Count), SourceName);

    /// <summary>Calls of the syscall <paramref name="name"/> in the view, or not measured (with the reason).</summary>
    public Measurement Calls(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Trace.SyscallsMeasured)
        {
            return Measurement.Absent(SyscallsUnmeasured()!);
        }
        if (CountedOnly().FirstOrDefault(t => t.Name == name) is { } counted)
        {
            return Measurement.Absent($"the {counted.Count:N0} calls to {name} were counted in the kernel for the whole capture only (hybrid mode), and in-kernel totals have no phase or thread");
        }
        return new Measurement(SyscallTotals().Where(t => t.Name == name).Sum(t => t.Count), SourceName);
    }

    /// <summary>Calls per syscall name: what was measured (see <see cref="SyscallsComplete"/> and
    /// <see cref="Calls"/>).</summary>
    public IReadOnlyDictionary<string, long> CountByName() => SyscallTotals().ToDictionary(t => t.Name, t => t.Count);

    /// <summary>Calls per role, ioctls split by the role of their decoded request; a role is not measured where
    /// syscalls of it were counted in the kernel for the whole capture only and the view is a part of it.</summary>
    public IReadOnlyDictionary<SyscallRole, Measurement> CountByRole()
    {
        string? unmeasured = Trace.SyscallsMeasured ? null : SyscallsUnmeasured();
        var counted = CountedOnly().Where(t => t.Name != "ioctl").ToList();
        var roles = new Dictionary<SyscallRole, Measurement>();
        var totals = SyscallTotals();
        foreach (var role in Enum.GetValues<SyscallRole>())
        {
            if (unmeasured is not null)
            {
                roles[role] = Measurement.Absent(unmeasured);
                continue;
            }
            var hidden = counted.Where(t => t.Role == role).ToList();
            if (hidden.Count > 0)
            {
                roles[role] = Measurement.Absent($"{hidden.Sum(t => t.Count):N0} {GpuOsSpec.Tracing.Model.RoleNames.Of(role)} calls ({string.Join(", ", hidden.Take(3).Select(t => t.Name))}) were counted in the kernel for the whole capture only (hybrid mode)");
                continue;
            }
            long n = totals.Where(t => t.Name != "ioctl" && t.Role == role).Sum(t => t.Count)
                + Syscalls.LongCount(s => s.Name == "ioctl" && s.Role == role);
            roles[role] = new Measurement(n, SourceName);
        }
        return roles;
    }

    /// <summary>Vendor API calls that started in the view (empty unless the capture probed API entry points).</summary>
    public IEnumerable<ApiCall> ApiCalls => Trace.ApiCalls.Where(c => Includes(c.Tid, c.StartNs));

    /// <summary>The OS cost of each probed API function in the view, most called first; empty when API calls were not
    /// probed. Faults and OS-invisibility are null unless <see cref="Trace.ApiFaultsMeasured"/>.</summary>
    public IReadOnlyList<ApiCost> ApiCosts()
    {
        bool faults = Trace.ApiFaultsMeasured;
        // Calls joined from samples in hybrid mode hold only the decode set's syscalls: their sums, and which calls
        // left no trace in the kernel, are not known.
        bool syscalls = Trace.ApiSyscallsUnmeasured is null;
        return ApiCalls.GroupBy(c => (c.Name, c.Library))
            .Select(g => new ApiCost(g.Key.Name, g.Key.Library, g.LongCount(), faults && syscalls ? g.LongCount(c => c.OsVisible == false) : null, syscalls ? g.Sum(c => (long)c.Syscalls) : null,
                g.Sum(c => (long)c.Ioctls), g.Sum(c => (long)c.VoluntarySwitches), g.Sum(c => (long)c.InvoluntarySwitches), faults ? g.Sum(c => (long)(c.PageFaults ?? 0)) : null,
                g.Sum(c => c.DurationNs ?? 0)))
            .OrderByDescending(c => c.Calls).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Ioctl calls grouped by device and decoded request, most frequent first (empty when syscalls were not
    /// measured).</summary>
    public IReadOnlyList<IoctlTotal> Ioctls() =>
        Syscalls.Where(s => s.Ioctl is not null)
            .GroupBy(s => (s.Ioctl!.Device, s.Ioctl.DisplayName))
            .Select(g => new IoctlTotal(g.Key.Device, g.Key.DisplayName, g.First().Role, g.LongCount(), g.LongCount(s => s.Failed), g.First().Ioctl!.Known))
            .OrderByDescending(i => i.Count).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();

    /// <summary>Ioctls whose decoded name or device is <paramref name="nameOrDevice"/>, or not measured (with the
    /// reason). Every ioctl is recorded per event in every mode, so only a capture without syscalls leaves this
    /// unmeasured.</summary>
    public Measurement IoctlCalls(string nameOrDevice)
    {
        ArgumentNullException.ThrowIfNull(nameOrDevice);
        return Trace.SyscallsMeasured
            ? new Measurement(Syscalls.LongCount(s => s.Ioctl is { } io && (io.DisplayName == nameOrDevice || io.Name == nameOrDevice || io.Device == nameOrDevice)), SourceName)
            : Measurement.Absent(SyscallsUnmeasured()!);
    }

    /// <summary>Context switches in the view (recorded per event).</summary>
    public IEnumerable<ContextSwitchEvent> ContextSwitches => Trace.ContextSwitches.Where(c => Includes(c.Tid, c.TimeNs));

    /// <summary>Voluntary context switches, from events when recorded, else the whole-capture total when the view holds
    /// every traced thread over the whole capture, else hybrid mode's phase counter's sums of the view's threads (and
    /// phase runs); not measured, with the reason, where none of these is the view's.</summary>
    public Measurement VoluntarySwitches() => Switches(true);

    /// <summary>Involuntary context switches, likewise.</summary>
    public Measurement InvoluntarySwitches() => Switches(false);

    /// <summary>Page faults in the view (recorded per event).</summary>
    public IEnumerable<PageFaultEvent> PageFaults => Trace.PageFaults.Where(f => Includes(f.Tid, f.TimeNs));

    /// <summary>Minor page faults, from events when recorded, else as <see cref="VoluntarySwitches"/> says.</summary>
    public Measurement MinorFaults() => Faults(false);

    /// <summary>Major page faults.</summary>
    public Measurement MajorFaults() => Faults(true);

    /// <summary>Mapping changes in the view.</summary>
    public IEnumerable<MappingChange> MappingChanges => Trace.MappingChanges.Where(m => Includes(m.Tid, m.TimeNs));

    /// <summary>
    /// .NET runtime events raised by the view's threads in its window: a GC counts against the thread that triggered
    /// it. Events of threads the capture never saw (the tracer's own EventPipe I/O threads) are left out.
    /// </summary>
    public IEnumerable<RuntimeEvent> RuntimeEvents => Trace.RuntimeEvents.Where(e => Includes(e.Tid, e.TimeNs));

    /// <summary>
    /// Nanoseconds the view's threads ran on a CPU inside the view's window (summed over threads, so it can exceed the
    /// wall time), or not measured (with the reason) where the capture did not see threads arrive on their CPUs.
    /// </summary>
    public Measurement OnCpuNs()
    {
        if (!Trace.OnCpuRecorded)
        {
            return Measurement.Absent($"on-CPU time needs every thread's arrival on and departure from its CPU, which the {SourceName} source does not record (trace with perf)");
        }
        long total = 0;
        foreach (var slice in Trace.OnCpu)
        {
            if (!_originTids.Contains(slice.Tid) || (_tids is not null && !_tids.Contains(slice.Tid)))
            {
                continue;
            }
            if (_runs is null)
            {
                total += slice.OverlapNs(Trace.StartNs, Trace.EndNs);
                continue;
            }
            foreach (var run in _runs)
            {
                total += slice.OverlapNs(run.StartNs, run.EndNs);
            }
        }
        return new Measurement(total, SourceName);
    }

    /// <summary>Wall-clock nanoseconds the view covers: the sum of its phase's runs, or the whole capture.</summary>
    public long WallNs() => _runs?.Sum(r => r.DurationNs) ?? Trace.EndNs - Trace.StartNs;

    /// <summary>
    /// The phase's own time: the sum of its runs' wall time, less the time the thread that opened each run waited for a
    /// CPU while runnable in it (preempted by another program, or yielding), so the machine's other load is not counted
    /// as the program's. Plain wall time where the capture did not see threads arrive on their CPUs; the whole
    /// capture's wall time for a view without a phase.
    /// </summary>
    public long OwnWallNs()
    {
        if (_runs is null || !Trace.OnCpuRecorded)
        {
            return WallNs();
        }
        long total = 0;
        foreach (var run in _runs)
        {
            total += run.DurationNs - RunnableWaitNs(Trace.OnCpuOf(run.Tid), run.StartNs, run.EndNs);
        }
        return total;
    }

    // The gaps after slices that left their CPU still runnable, up to the thread's next slice, inside [from, to).
    private static long RunnableWaitNs(CpuSlice[] slices, long fromNs, long toNs)
    {
        long waited = 0;
        int i = Math.Max(0, Array.FindIndex(slices, s => s.EndNs >= fromNs) - 1);
        for (; i < slices.Length && slices[i].EndNs < toNs; i++)
        {
            if (slices[i].LeftRunnable)
            {
                long back = i + 1 < slices.Length ? slices[i + 1].StartNs : toNs;
                waited += Math.Max(0, Math.Min(back, toNs) - Math.Max(slices[i].EndNs, fromNs));
            }
        }
        return waited;
    }

    private Measurement Switches(bool voluntary)
    {
        if (Trace.ContextSwitchEventsRecorded)
        {
            return new Measurement(ContextSwitches.LongCount(c => c.Voluntary == voluntary), SourceName);
        }
        var total = voluntary ? Trace.VoluntarySwitches : Trace.InvoluntarySwitches;
        return PhaseFilter is null && CoversCountedTotals ? total
            : CountedActivity(voluntary ? c => c.VoluntarySwitches : c => c.InvoluntarySwitches, "context switches", total);
    }

    private Measurement Faults(bool major)
    {
        if (Trace.PageFaultEventsRecorded)
        {
            return new Measurement(PageFaults.LongCount(f => f.Major == major), SourceName);
        }
        var total = major ? Trace.MajorFaults : Trace.MinorFaults;
        return PhaseFilter is null && CoversCountedTotals ? total
            : CountedActivity(major ? c => c.MajorFaults : c => c.MinorFaults, "page faults", total);
    }

    // A figure the kernel's phase counter summed (hybrid mode) where it was not recorded per event: the counts of the
    // view's threads taken while one of its runs was open, as an event belongs to the view when it falls in one of the
    // runs' windows; for a view of the whole capture that leaves threads out, all of their counts. Only gpuos phases
    // are runs the counter knows: any other phase is not measured, never 0; and the whole capture's total is no
    // thread's.
    private Measurement CountedActivity(Func<PhaseActivityCount, long> figure, string what, Measurement total)
    {
        if (!Trace.PhaseActivityCounted)
        {
            return Measurement.Absent($"{what} were counted for the whole capture only ({total.Source}), not per {(_runs is null ? "thread" : "phase")}"
                + (Trace.PhaseActivityUnmeasured is { } why ? $", and the kernel's phase counter did not count them per {(_runs is null ? "thread" : "phase")}: {why}" : ""));
        }
        if (_runs is not null && _runs.Any(r => r.Origin != PhaseOrigin.GpuOsMarkers))
        {
            return Measurement.Absent($"{what} were counted per phase in the kernel for gpuos phases only, and phase \"{PhaseFilter!.Path}\" is not one");
        }
        var runs = _runs?.ToHashSet(ReferenceEqualityComparer.Instance);
        long sum = Trace.PhaseActivityCounts
            .Where(c => _originTids.Contains(c.Tid) && (_tids is null || _tids.Contains(c.Tid)) && (runs is null || c.Runs.Any(runs.Contains)))
            .Sum(figure);
        return new Measurement(sum, $"{SourceName} (the kernel's phase counter)");
    }
}
