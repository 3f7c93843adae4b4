using GpuOsSpec.Tracing.Capture.PerfEvents;
using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Analysis;

/// <summary>Turns what the capture sources collected into a decoded, attributed <see cref="Trace"/>.</summary>
internal sealed class TraceBuilder
{
    private readonly SyscallTable _table = SyscallTable.Current;

    internal required string Source { get; init; }
    internal required string Mode { get; init; }
    internal required string Target { get; init; }
    internal required long StartNs { get; init; }
    internal required long EndNs { get; init; }
    internal List<RawSyscall> Syscalls { get; init; } = [];
    internal Func<int, string>? NameOverride { get; init; }
    internal List<RawSyscall> OrphanEnters { get; init; } = [];
    internal List<RawSyscall> OrphanExits { get; init; } = [];
    internal Dictionary<string, (long Calls, long Errors)>? Counters { get; init; }
    internal bool SyscallsMeasured { get; init; } = true;
    internal FdTable Fds { get; init; } = new();
    internal Dictionary<int, (int Pid, string Name)> Threads { get; init; } = [];
    internal List<(int Pid, int Tid, int ParentTid, long TimeNs)> Forks { get; init; } = [];
    internal IReadOnlySet<int> TracerTids { get; init; } = new HashSet<int>();
    internal IReadOnlySet<int> WorkloadTids { get; init; } = new HashSet<int>();
    internal IReadOnlySet<int>? RuntimeTids { get; init; }
    internal ThreadOrigin FallbackOrigin { get; init; } = ThreadOrigin.Workload;
    internal List<Phase> Phases { get; init; } = [];
    internal List<ContextSwitchEvent> Switches { get; init; } = [];
    internal bool SwitchesRecorded { get; init; }
    internal List<PageFaultEvent> Faults { get; init; } = [];
    internal bool FaultsRecorded { get; init; }
    internal Measurement? Voluntary { get; init; }
    internal Measurement? Involuntary { get; init; }
    internal Measurement? MinorFaults { get; init; }
    internal Measurement? MajorFaults { get; init; }
    internal List<RuntimeEvent> RuntimeEvents { get; init; } = [];
    internal bool RuntimeRecorded { get; init; }
    internal List<ThreadCounters> ThreadCounters { get; init; } = [];
    internal long Lost { get; init; }
    internal string? UnreportedLoss { get; init; }
    // In-process captures count their control syscalls in the records; command captures say what they saw.
    internal int ControlExpected { get; init; }
    internal int? ControlSeen { get; init; }
    internal string? ControlWhat { get; init; }
    internal long LostRuntime { get; init; }
    internal bool Incomplete { get; init; }
    internal string? IncompleteReason { get; init; }
    internal int? ExitCode { get; init; }
    internal int? Signal { get; init; }
    internal List<string> Notes { get; init; } = [];

    internal Trace Build()
    {
        var calls = new List<SyscallEvent>(Syscalls.Count + OrphanEnters.Count);
        int controls = 0;
        void Keep(RawSyscall raw, string? name)
        {
            name ??= _table.Name(raw.Number);
            if (Capture.ControlSyscall.Is(name, raw.Args))
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
            Keep(Syscalls[i], NameOverride?.Invoke(i));
        }
        foreach (var call in PairOrphans())
        {
            Keep(call, null);
        }
        calls.Sort((a, b) => a.EnterNs.CompareTo(b.EnterNs));

        var threads = BuildThreads(calls);
        var switches = Switches.Where(s => InWindow(s.TimeNs)).ToList();
        var faults = Faults.Where(f => InWindow(f.TimeNs)).ToList();
        var tracer = TracerTids;
        var traced = threads.Where(t => t.Origin != ThreadOrigin.Tracer).Select(t => t.Tid).ToHashSet();

        return new Trace
        {
            Source = Source,
            Mode = Mode,
            Target = Target,
            Architecture = _table.Architecture,
            KernelRelease = KernelRelease(),
            StartNs = StartNs,
            EndNs = EndNs,
            Threads = threads,
            Phases = Phases,
            Syscalls = calls,
            SyscallTotals = SyscallsMeasured ? Totals(calls) : [],
            SyscallsMeasured = SyscallsMeasured,
            ContextSwitches = switches,
            ContextSwitchEventsRecorded = SwitchesRecorded,
            PageFaults = faults,
            PageFaultEventsRecorded = FaultsRecorded,
            VoluntarySwitches = Voluntary ?? (SwitchesRecorded ? new Measurement(switches.LongCount(s => s.Voluntary && !tracer.Contains(s.Tid)), Source) : Measurement.Absent("not measured")),
            InvoluntarySwitches = Involuntary ?? (SwitchesRecorded ? new Measurement(switches.LongCount(s => !s.Voluntary && !tracer.Contains(s.Tid)), Source) : Measurement.Absent("not measured")),
            MinorFaults = MinorFaults ?? (FaultsRecorded ? new Measurement(faults.LongCount(f => !f.Major && !tracer.Contains(f.Tid)), Source) : Measurement.Absent("not measured")),
            MajorFaults = MajorFaults ?? (FaultsRecorded ? new Measurement(faults.LongCount(f => f.Major && !tracer.Contains(f.Tid)), Source) : Measurement.Absent("not measured")),
            MappingChanges = calls.Select(ToMappingChange).OfType<MappingChange>().ToList(),
            RuntimeEvents = RuntimeEvents.Where(e => InWindow(e.TimeNs)).OrderBy(e => e.TimeNs).ToList(),
            RuntimeEventsRecorded = RuntimeRecorded,
            ThreadCounters = ThreadCounters,
            LostEvents = Lost,
            UnreportedLoss = UnreportedLoss,
            Control = ControlWhat is null ? null : new PositiveControl(ControlExpected, ControlSeen ?? controls, ControlWhat),
            LostRuntimeEvents = LostRuntime,
            Incomplete = Incomplete,
            IncompleteReason = IncompleteReason,
            ExitCode = ExitCode,
            Signal = Signal,
            Notes = Notes,
        };
    }

    private bool InWindow(long timeNs) => timeNs >= StartNs && timeNs < EndNs;

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
        return new SyscallEvent(raw.Tid, raw.Number, name, role, raw.EnterNs, raw.ExitNs, raw.Result, raw.Args, ioctl);
    }

    // Entries and exits that landed in different CPU buffers (the thread migrated while blocked) meet here.
    private IEnumerable<RawSyscall> PairOrphans()
    {
        var byTid = OrphanEnters.Where(e => e.EnterNs > 0).GroupBy(e => e.Tid).ToDictionary(g => g.Key, g => g.OrderBy(e => e.EnterNs).ToList());
        foreach (var exit in OrphanExits.OrderBy(e => e.ExitNs))
        {
            if (!byTid.TryGetValue(exit.Tid, out var enters))
            {
                continue;
            }
            int match = enters.FindLastIndex(e => e.EnterNs <= exit.ExitNs && e.Number == exit.Number && e.ExitNs < 0);
            if (match >= 0)
            {
                var paired = enters[match];
                paired.ExitNs = exit.ExitNs;
                paired.Result = exit.Result;
                enters[match] = paired;
            }
        }
        return byTid.Values.SelectMany(v => v);
    }

    private List<TraceThread> BuildThreads(List<SyscallEvent> calls)
    {
        var tids = new HashSet<int>(Threads.Keys);
        tids.UnionWith(calls.Select(c => c.Tid));
        tids.UnionWith(Switches.Select(s => s.Tid));
        tids.UnionWith(Forks.Select(f => f.Tid));
        var forks = Forks.Where(f => f.TimeNs >= StartNs).GroupBy(f => f.Tid).ToDictionary(g => g.Key, g => g.First());
        var classifier = new ThreadOriginClassifier(TracerTids, WorkloadTids, FallbackOrigin, RuntimeTids);
        var result = new Dictionary<int, TraceThread>();
        // Parents before children, so a child can look at its creator's origin.
        foreach (int tid in tids.OrderBy(t => forks.TryGetValue(t, out var f) ? f.TimeNs : long.MinValue).ThenBy(t => t))
        {
            int? parent = forks.TryGetValue(tid, out var fork) ? fork.ParentTid : null;
            TraceThread? parentThread = parent.HasValue && result.TryGetValue(parent.Value, out var p) ? p : null;
            // A new thread carries its creator's comm until it renames itself (which perf reports as a COMM record).
            var (pid, name) = Threads.TryGetValue(tid, out var info) ? info : (fork.Pid != 0 ? fork.Pid : tid, parentThread?.Name ?? "?");
            string? parentName = parentThread?.Name ?? (parent.HasValue && Threads.TryGetValue(parent.Value, out var pi) ? pi.Name : null);
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
        if (Counters is not null)
        {
            foreach (var (name, (counted, errors)) in Counters)
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

    private int PidOf(int tid) => _pidOfTid.TryGetValue(tid, out int pid) ? pid : Threads.TryGetValue(tid, out var t) ? t.Pid : tid;

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
