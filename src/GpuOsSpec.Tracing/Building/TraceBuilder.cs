namespace GpuOsSpec.Tracing.Building;

/// <summary>Turns what a capture backend recorded, and what the orchestrator knows of the target, into a decoded,
/// attributed <see cref="Trace"/>.</summary>
internal sealed class TraceBuilder
{
    private readonly SyscallTable _table = SyscallTable.Current;
    private readonly CaptureResult _capture;
    private readonly CaptureTarget _target;
    private readonly Dictionary<int, (int Pid, string Name)> _threads;

    private TraceBuilder(CaptureResult capture, CaptureTarget target)
    {
        _capture = capture;
        _target = target;
        // The source's names (perf COMM records) are newer than a /proc snapshot's.
        _threads = new Dictionary<int, (int Pid, string Name)>(target.Threads);
        foreach (var (tid, info) in capture.Threads)
        {
            _threads[tid] = info;
        }
    }

    /// <summary>Builds the trace of one capture.</summary>
    internal static Trace From(CaptureResult capture, CaptureTarget target) => new TraceBuilder(capture, target).Build();

    private long StartNs => _target.StartNs;
    private long EndNs => _target.EndNs;
    private FdTable Fds => _capture.Fds;
    private List<RawSyscall> Syscalls => _capture.Syscalls;
    private List<RawSyscall> OrphanEnters => _capture.OrphanEnters;
    private List<RawSyscall> OrphanExits => _capture.OrphanExits;
    private List<(int Pid, int Tid, int ParentTid, long TimeNs)> Forks => _capture.Forks;

    internal Trace Build()
    {
        var calls = new List<SyscallEvent>(Syscalls.Count + OrphanEnters.Count);
        int controls = 0;
        void Keep(RawSyscall raw, string? name)
        {
            name ??= _table.Name(raw.Number);
            if (ControlSyscall.Is(name, raw.Args))
            {
                controls++;
            }
            else if (InWindow(raw.EnterNs))
            {
                calls.Add(Decode(raw, name));
            }
        }
        for (int i = 0; i < Syscalls.Count; i++)
        {
            Keep(Syscalls[i], _capture.NameOf?.Invoke(i));
        }
        foreach (var call in PairOrphans())
        {
            Keep(call, null);
        }
        calls.Sort((a, b) => a.EnterNs.CompareTo(b.EnterNs));
        var notes = _target.Notes.Concat(_capture.Notes).ToList();
        bool apiProbed = _capture.ApiHits is not null || _capture.KernelApiCalls is not null;
        // The probes' own way into the kernel on x86-64, never the program's: return probes return through the
        // uretprobe syscall (since Linux 6.11), and an optimized entry probe on a 5-byte nop (the gpuos marker's, since
        // 6.18) calls the uprobe syscall. Made from anywhere else, uretprobe kills the caller (SIGILL) and uprobe fails
        // (ENXIO, on Linux 6.18): no program makes them for itself. They are left out whether or not this capture
        // probes: another tool's probes (another capture's on a shared libOpenCL.so, a profiler's) make them in the
        // traced program too, and they are no more the program's then.
        foreach (string probe in new[] { "uretprobe", "uprobe" })
        {
            int removed = calls.RemoveAll(c => c.Name == probe);
            long inKernel = (_capture.Counters?.Remove(probe, out var u) == true ? u.Calls : 0)
                + (_capture.ProbeSyscallsCounted?.GetValueOrDefault(probe) ?? 0);
            if (removed + inKernel > 0)
            {
                notes.Add(
                    $"{removed + inKernel:N0} {probe} syscall(s), made by the probes themselves (this capture's API return probes and optimized marker probes, or another tool's uprobes on a library the program calls), are left out of every figure."
                );
            }
        }

        var threads = BuildThreads(calls);
        var switches = _capture.Switches.Where(s => InWindow(s.TimeNs)).ToList();
        var faults = _capture.Faults.Where(f => InWindow(f.TimeNs)).ToList();
        var tracer = _target.TracerTids;
        var counted = _target.ThreadCounters.Where(c => !tracer.Contains(c.Tid)).ToList();
        // A figure comes from what the source measured for the whole capture, else its events, else the /proc counters
        // of an in-process target; otherwise it was not measured.
        Measurement Figure(Measurement? measured, bool recorded, Func<long> fromEvents, Func<ThreadCounters, long> fromCounters) =>
            measured ?? (recorded ? new Measurement(fromEvents(), CaptureNames.Of(_capture.Source))
                : counted.Count > 0 ? new Measurement(counted.Sum(fromCounters), "proc") : Measurement.Absent("not measured"));
        string? incomplete = _capture.Failure ?? _target.IncompleteReason;
        var phases = _capture.Markers is { } markers ? _target.Phases.Concat(MarkerPhases.Build(markers, _capture.Execs, Forks, EndNs, notes)).OrderBy(p => p.StartNs).ToList() : _target.Phases;
        var (phaseCounts, unplaced) = _capture.KernelPhases is { } kernel ? KernelPhaseAttribution.Build(kernel, phases, _table) : ([], null);
        if (unplaced is not null)
        {
            notes.Add($"hybrid mode's per-phase syscall counts are not used: {unplaced}; phases hold only the syscalls recorded per event.");
        }
        bool phaseCounted = _capture.KernelPhases is not null && unplaced is null;
        var (activity, activityUnplaced) = _capture.KernelPhases is { } counter ? KernelPhaseAttribution.BuildActivity(counter, phases)
            : ([], _capture.Mode == CaptureMode.Hybrid ? "the phase counter did not run" : "only hybrid mode's phase counter counts them");
        if (_capture.KernelPhases is not null && activityUnplaced is not null)
        {
            notes.Add($"hybrid mode's per-phase switches and faults from the kernel are not used: {activityUnplaced}; phases hold only those recorded per event.");
        }
        // Without fault events, the whole capture's faults are the phase counter's sums over every set (no phase open
        // included) where it placed them: counted from the command's exec, as the events would be, where rusage also
        // holds the launcher's faults before it.
        (long Minor, long Major, string Source)? kernelFaults = !_capture.FaultsRecorded && _capture.KernelPhases is not null && activityUnplaced is null
            ? (activity.Where(a => !tracer.Contains(a.Tid)).Sum(a => a.MinorFaults), activity.Where(a => !tracer.Contains(a.Tid)).Sum(a => a.MajorFaults),
                $"{CaptureNames.Of(_capture.Source)} (the kernel's phase counter)")
            : null;
        var slices = _capture.CpuEdges is { } edges ? CpuSlices(edges) : [];
        var crossCheck = _capture.PhaseCrossCheckAsked ? CrossCheck(phases, calls, slices, notes) : null;
        // The kernel's API counter counts faults by tracepoint whatever else is recorded; calls joined from perf
        // samples see only the faults recorded as events.
        bool apiFaults = _capture.KernelApiCalls is not null || (_capture.ApiHits is not null && _capture.FaultsRecorded);
        if (apiProbed && !apiFaults)
        {
            notes.Add("page faults were not recorded as events (--no-fault-events, or left to hybrid mode's phase counter: --fault-events records them), so API calls' faults and OS-invisibility are not measured.");
        }

        return new Trace
        {
            Source = _capture.Source,
            Mode = _capture.Mode,
            Target = _target.Target,
            Architecture = _table.Architecture,
            KernelRelease = KernelRelease(),
            StartNs = StartNs,
            EndNs = EndNs,
            Threads = threads,
            Phases = phases,
            PhaseSyscallCounts = phaseCounted ? phaseCounts : [],
            PhaseSyscallsCounted = phaseCounted,
            PhaseActivityCounts = activityUnplaced is null ? activity : [],
            PhaseActivityCounted = activityUnplaced is null,
            PhaseActivityUnmeasured = activityUnplaced,
            PhaseCrossCheck = crossCheck,
            Syscalls = calls,
            ApiCalls = _capture.KernelApiCalls is { } kernelCalls ? ApiAttribution.FromKernel(kernelCalls, _capture.ApiFunctions)
                : _capture.ApiHits is { } hits ? ApiAttribution.Build(hits, _capture.ApiFunctions, calls, switches, _capture.FaultsRecorded ? faults : null, notes) : [],
            ApiCallsRecorded = apiProbed,
            ApiCallsCountedInKernel = _capture.KernelApiCalls is not null,
            ApiFaultsMeasured = apiProbed && apiFaults,
            ApiLibrariesProbed = apiProbed ? _capture.ApiFunctions.Select(f => f.Library).Distinct().Order(StringComparer.Ordinal).ToList() : [],
            MarkersRead = _capture.Markers is not null,
            SyscallTotals = _capture.SyscallsMeasured ? Totals(calls) : [],
            SyscallsMeasured = _capture.SyscallsMeasured,
            ContextSwitches = switches,
            ContextSwitchEventsRecorded = _capture.SwitchesRecorded,
            PageFaults = faults,
            PageFaultEventsRecorded = _capture.FaultsRecorded,
            OnCpu = slices,
            OnCpuRecorded = _capture.CpuEdges is not null,
            VoluntarySwitches = Figure(_capture.Voluntary, _capture.SwitchesRecorded, () => switches.LongCount(s => s.Voluntary && !tracer.Contains(s.Tid)), c => c.VoluntarySwitches),
            InvoluntarySwitches = Figure(_capture.Involuntary, _capture.SwitchesRecorded, () => switches.LongCount(s => !s.Voluntary && !tracer.Contains(s.Tid)), c => c.InvoluntarySwitches),
            MinorFaults = kernelFaults is { } k1 ? new Measurement(k1.Minor, k1.Source)
                : Figure(_capture.MinorFaults, _capture.FaultsRecorded, () => faults.LongCount(f => !f.Major && !tracer.Contains(f.Tid)), c => c.MinorFaults),
            MajorFaults = kernelFaults is { } k2 ? new Measurement(k2.Major, k2.Source)
                : Figure(_capture.MajorFaults, _capture.FaultsRecorded, () => faults.LongCount(f => f.Major && !tracer.Contains(f.Tid)), c => c.MajorFaults),
            MappingChanges = calls.Select(ToMappingChange).OfType<MappingChange>().ToList(),
            RuntimeEvents = _target.RuntimeEvents.Where(e => InWindow(e.TimeNs)).OrderBy(e => e.TimeNs).ToList(),
            RuntimeEventsRecorded = _target.RuntimeRecorded,
            ThreadCounters = _target.ThreadCounters,
            LostEvents = _capture.Lost,
            CountersLost = (_capture.KernelPhases?.Lost ?? 0) + _capture.SyscallCounterLost,
            ApiCountsLost = _capture.ApiCounterLost,
            UnreportedLoss = _capture.UnreportedLoss,
            Control = _capture.Control is { } own ? new PositiveControl(own.Expected, own.Seen, own.What)
                : _capture.SyscallsMeasured && _target.ControlsMade is { } made ? new PositiveControl(made, controls, ControlSyscall.Description)
                : null,
            LostRuntimeEvents = _target.LostRuntime,
            Incomplete = incomplete is not null,
            IncompleteReason = incomplete,
            ExitCode = _target.ExitCode,
            Signal = _target.Signal,
            Notes = notes,
        };
    }

    private bool InWindow(long timeNs) => timeNs >= StartNs && timeNs < EndNs;

    // Full mode's cross-check: the counter's counts placed as hybrid mode places them, then compared with the calls
    // recorded per event; they go into the comparison only, never into PhaseSyscallCounts (the views would add them to
    // the per-event calls). Anything that keeps either side from being exact is a reason, not a comparison.
    private PhaseCrossCheck CrossCheck(IReadOnlyList<Phase> phases, List<SyscallEvent> calls, List<CpuSlice> slices, List<string> notes)
    {
        string? why = _capture.PhaseCrossCheckUnavailable;
        var counts = new List<PhaseSyscallCount>();
        var activity = new List<PhaseActivityCount>();
        string? activityWhy = null;
        Func<Phase, KernelRunWindow>? kernelWindow = null;
        List<ActivityWitness>? witnesses = null;
        if (why is null && _capture.PhaseCrossCheckCounts is { } kernel)
        {
            // The counter's losses are the comparison's alone: the trace's figures are full mode's events.
            notes.AddRange(kernel.LossNotes.Select(n => $"the phase cross-check (its losses cost the comparison only, not the trace's figures): {n}"));
            if (kernel.Lost > 0)
            {
                why = $"the kernel's phase counter lost {kernel.Lost:N0} count(s) (the notes say where)";
            }
            else if (kernel.Cells.Sum(c => c.Calls) == 0)
            {
                // Its positive control: every traced command makes syscalls after its exec (exit_group at least), so a
                // counter that counted none saw nothing, and its zeros would agree with any phase that made no call.
                why = "the kernel's phase counter counted no syscall at all in the run, so it could not have seen any";
            }
            else
            {
                (counts, string? unplaced) = KernelPhaseAttribution.Build(kernel, phases, _table);
                why = unplaced is null ? null : $"the kernel's counts could not be placed in their phase runs: {unplaced}";
                (activity, activityWhy) = KernelPhaseAttribution.BuildActivity(kernel, phases);
                kernelWindow = KernelPhaseAttribution.Windows(kernel, phases);
                // Without them (a set they cannot be placed in), a figure that differs stays a difference.
                var (witnessed, witnessUnplaced) = KernelPhaseAttribution.BuildWitnesses(kernel, phases);
                witnesses = witnessUnplaced is null ? witnessed.Where(w => w.TimeNs >= StartNs).ToList() : null;
            }
        }
        else
        {
            why ??= "the kernel's phase counter gave no reading";
        }
        if (why is null && _capture.Lost > 0)
        {
            why = $"full mode lost {_capture.Lost:N0} event(s), so its per-phase figures are not exact";
        }
        var left = DecodeSet.Names;
        var result = why is null ? PhaseCrossChecker.Compare(phases, calls, counts, left, kernelWindow)
            : new PhaseCrossCheck([], why) { PerEventInDefaultMode = left.Order(StringComparer.Ordinal).ToList() };
        if (result.Compared)
        {
            // Switches and faults are compared where both ways have them; what is left out says why, never a 0.
            var notCompared = new List<string>();
            if (activityWhy is not null)
            {
                notCompared.Add($"context switches and page faults: {activityWhy}");
            }
            else if (_capture.PhaseActivityCutNs is not { } cut)
            {
                notCompared.Add("context switches and page faults: the capture's stop was held up past the moment set to end both counts, so they do not cover the same window");
            }
            else
            {
                if (!_capture.SwitchesRecorded)
                {
                    notCompared.Add("context switches: full mode recorded no switch events");
                }
                if (!_capture.FaultsRecorded)
                {
                    notCompared.Add("page faults: full mode recorded no fault events (--no-fault-events)");
                }
                if (_capture.SwitchesRecorded)
                {
                    // Past the trace's end as far as the counter counted: a thread that outlived the command still
                    // switched and faulted in its open run until the cut (the window's events alone would miss them).
                    var (figures, onCpu) = PhaseCrossChecker.CompareActivity(phases, _capture.Switches.Where(s => s.TimeNs >= StartNs).ToList(),
                        _capture.FaultsRecorded ? _capture.Faults.Where(f => f.TimeNs >= StartNs).ToList() : null, slices, activity, EndNs, cut, kernelWindow, witnesses);
                    result = result with { Figures = figures, OnCpu = _capture.CpuEdges is null ? [] : onCpu };
                }
            }
            result = result with { FiguresNotCompared = notCompared };
        }
        notes.Add(result.Compared
            ? $"the phase cross-check: hybrid mode's phase counter ran beside full mode's events; {result.Rows.Count:N0} (phase, syscall) figure(s) compared, {result.Differences.Count:N0} differ; {result.Figures.Count:N0} (phase, switch or fault) figure(s) compared, {result.FigureDifferences.Count:N0} differ"
                + (result.FiguresNotCompared.Count > 0 ? $" (not compared: {string.Join("; ", result.FiguresNotCompared)})" : "") + ". Its counts are not in any other figure."
            : $"the phase cross-check compared nothing: {why}.");
        return result;
    }

    // Pairs each thread's arrivals on a CPU with its departures. A thread already running when its events began (the
    // capture's start, or a command's exec, which its first sample marks) is on its CPU from there; one still running
    // at the end, or whose last departure the kernel never reported (it exited), until its exit or the capture's end. A
    // thread that made a sample but never left its CPU ran throughout.
    private List<CpuSlice> CpuSlices(List<(int Tid, long TimeNs, bool In, bool Runnable)> edges)
    {
        var exits = _capture.Exits.GroupBy(e => e.Tid).ToDictionary(g => g.Key, g => g.Max(e => e.TimeNs));
        var byTid = edges.GroupBy(e => e.Tid).ToDictionary(g => g.Key, g => g.OrderBy(e => e.TimeNs).ToList());
        var slices = new List<CpuSlice>();
        foreach (int tid in byTid.Keys.Union(_capture.FirstSampleNs.Keys))
        {
            long began = _capture.EventsFromExec && _capture.FirstSampleNs.TryGetValue(tid, out long first) ? first : StartNs;
            long? arrived = byTid.ContainsKey(tid) ? null : began;
            bool leading = true;
            foreach (var (_, time, on, runnable) in byTid.GetValueOrDefault(tid, []))
            {
                if (on)
                {
                    arrived = time;
                }
                else if (arrived is not null || leading)
                {
                    slices.Add(new CpuSlice(tid, arrived ?? Math.Min(began, time), time) { LeftRunnable = runnable });
                    arrived = null;
                }
                leading = false;
            }
            if (arrived is { } open)
            {
                slices.Add(new CpuSlice(tid, open, exits.TryGetValue(tid, out long exit) && exit >= open ? exit : EndNs));
            }
        }
        return slices.Select(s => s with { StartNs = Math.Max(s.StartNs, StartNs), EndNs = Math.Min(s.EndNs, EndNs) })
            .Where(s => s.EndNs > s.StartNs).OrderBy(s => s.StartNs).ToList();
    }

    private SyscallEvent Decode(RawSyscall raw, string? name)
    {
        name ??= _table.Name(raw.Number);
        IoctlInfo? ioctl = null;
        SyscallRole role;
        if (name == "ioctl")
        {
            long fd = (int)raw.Args.A0;
            string? path = Fds.PathAt(raw.Pid, fd, raw.EnterNs);
            string? driver = path is not null && path.StartsWith("/dev/dri/", StringComparison.Ordinal) ? Fds.DrmDriver(path) : null;
            ioctl = IoctlDecoder.Decode(path, fd, raw.Args.A1, driver);
            role = ioctl.Role;
        }
        else
        {
            role = SyscallRoles.Of(name);
        }
        _pidOfTid[raw.Tid] = raw.Pid;
        return new SyscallEvent(raw.Tid, raw.Number, name, role, raw.EnterNs, raw.ExitNs, raw.Result, raw.Args, ioctl)
        {
            OpenedPath = raw.ExitNs >= 0 && raw.Result >= 0 && FileOpens.Is(name) ? Fds.OpenedBy(raw.Pid, raw.Result, raw.EnterNs) : null,
        };
    }

    // Entries and exits that landed in different CPU buffers (the thread migrated while blocked) meet here. A thread is
    // in one syscall at a time, so an exit belongs to the thread's last entry before it, when their numbers agree; an
    // optimized uprobe's exit carries number -1 (its handler sets orig_ax so) and belongs to the uprobe entry before
    // it. Each thread's entries and exits are walked once, in time order.
    private IEnumerable<RawSyscall> PairOrphans()
    {
        var byTid = OrphanEnters.Where(e => e.EnterNs > 0).GroupBy(e => e.Tid).ToDictionary(g => g.Key, g => g.OrderBy(e => e.EnterNs).ToList());
        int uprobe = _table.Number("uprobe") ?? int.MinValue;
        foreach (var exits in OrphanExits.GroupBy(e => e.Tid))
        {
            if (!byTid.TryGetValue(exits.Key, out var enters))
            {
                continue;
            }
            int next = 0;
            foreach (var exit in exits.OrderBy(e => e.ExitNs))
            {
                while (next < enters.Count && enters[next].EnterNs <= exit.ExitNs)
                {
                    next++;
                }
                if (next == 0 || enters[next - 1] is not { ExitNs: < 0 } entry || (entry.Number != exit.Number && !(exit.Number == -1 && entry.Number == uprobe)))
                {
                    continue;
                }
                entry.ExitNs = exit.ExitNs;
                entry.Result = exit.Result;
                enters[next - 1] = entry;
            }
        }
        return byTid.Values.SelectMany(v => v);
    }

    private List<TraceThread> BuildThreads(List<SyscallEvent> calls)
    {
        var tids = new HashSet<int>(_threads.Keys);
        tids.UnionWith(calls.Select(c => c.Tid));
        tids.UnionWith(_capture.Switches.Select(s => s.Tid));
        tids.UnionWith(Forks.Select(f => f.Tid));
        var forks = Forks.Where(f => f.TimeNs >= StartNs).GroupBy(f => f.Tid).ToDictionary(g => g.Key, g => g.First());
        var classifier = new ThreadOriginClassifier(_target.TracerTids, _target.WorkloadTids, _target.FallbackOrigin, _target.RuntimeTids, _target.ForeignRuntimeTids,
            _target.SharedProcess);
        var result = new Dictionary<int, TraceThread>();
        // Parents before children, so a child can look at its creator's origin.
        foreach (int tid in tids.OrderBy(t => forks.TryGetValue(t, out var f) ? f.TimeNs : long.MinValue).ThenBy(t => t))
        {
            int? parent = forks.TryGetValue(tid, out var fork) ? fork.ParentTid : null;
            TraceThread? parentThread = parent.HasValue && result.TryGetValue(parent.Value, out var p) ? p : null;
            // A new thread carries its creator's comm until it renames itself (which perf reports as a COMM record).
            var (pid, name) = _threads.TryGetValue(tid, out var info) ? info : (fork.Pid != 0 ? fork.Pid : tid, parentThread?.Name ?? "?");
            string? parentName = parentThread?.Name ?? (parent.HasValue && _threads.TryGetValue(parent.Value, out var pi) ? pi.Name : null);
            var origin = classifier.Classify(tid, name, parent, parentName, parentThread?.Origin);
            result[tid] = new TraceThread(tid, pid, name, origin, parent, forks.ContainsKey(tid), forks.TryGetValue(tid, out var created) ? created.TimeNs : null);
        }
        return result.Values.OrderBy(t => t.Tid).ToList();
    }

    private List<SyscallTotal> Totals(List<SyscallEvent> calls)
    {
        var totals = calls.GroupBy(c => c.Name)
            .Select(g => new SyscallTotal(g.Key, SyscallRoles.Of(g.Key), g.LongCount(), g.LongCount(c => c.Failed), g.Sum(c => c.DurationNs ?? 0), true))
            .ToList();
        if (_capture.Counters is not null)
        {
            foreach (var (name, (counted, errors)) in _capture.Counters)
            {
                totals.Add(new SyscallTotal(name, SyscallRoles.Of(name), counted, errors, null, false));
            }
        }
        return totals.OrderByDescending(t => t.Count).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    private MappingChange? ToMappingChange(SyscallEvent c)
    {
        if (!c.Finished || c.Failed)
        {
            return null;
        }
        var a = c.Args;
        return c.Name switch
        {
            "mmap" => new MappingChange(c.Tid, c.EnterNs, MappingChangeKind.Map, (ulong)c.Result, a.A1, (int)a.A2,
                (int)a.A4 >= 0 ? Fds.PathAt(PidOf(c.Tid), (int)a.A4, c.EnterNs) ?? $"fd {(int)a.A4}" : null),
            "munmap" => new MappingChange(c.Tid, c.EnterNs, MappingChangeKind.Unmap, a.A0, a.A1, 0, null),
            "mprotect" => new MappingChange(c.Tid, c.EnterNs, MappingChangeKind.Protect, a.A0, a.A1, (int)a.A2, null),
            "mremap" => new MappingChange(c.Tid, c.EnterNs, MappingChangeKind.Remap, (ulong)c.Result, a.A2, 0, null),
            "madvise" => new MappingChange(c.Tid, c.EnterNs, MappingChangeKind.Advise, a.A0, a.A1, 0, null),
            "brk" when a.A0 != 0 => new MappingChange(c.Tid, c.EnterNs, MappingChangeKind.Brk, (ulong)c.Result, 0, 0, null),
            _ => null,
        };
    }

    private readonly Dictionary<int, int> _pidOfTid = [];

    private int PidOf(int tid) => _pidOfTid.TryGetValue(tid, out int pid) ? pid : _threads.TryGetValue(tid, out var t) ? t.Pid : tid;

    private static string KernelRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return Environment.OSVersion.VersionString;
        }
    }
}
