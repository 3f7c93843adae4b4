using System.Buffers.Binary;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Hybrid mode's per-phase syscall counts (issue 20): src/GpuOsSpec.Tracing/Bpf/phases.bpf.c, loaded with libbpf,
/// counts every syscall of the traced tree in the kernel per (thread, syscall, set of phase runs open anywhere), and
/// hands the gpuos markers, forks and execs to a ring buffer from which user space learns which runs each set holds.
/// The marker program runs on an entry uprobe on gpuos_probe_marker in the library file and filters by the followed
/// tree. In hybrid mode it is attached to a marker probe event of its own, so it runs for the hits the traced tree's
/// marker events let through (the probe is placed only in the traced processes, which inheritance follows through
/// forks and execs), and is the markers' only reader: each marker's record
/// carries what a perf sample of it did (<see cref="KernelPhaseEvent.ToMarker"/>), no sample is written, and a marker
/// it could not record is counted as lost. Beside full mode's perf samples (the cross-check) it is attached for every
/// process (pid -1).
/// </summary>
/// <remarks>
/// It also counts each thread's context switches, page faults and on-CPU time per set (gos_phase): the sched_switch
/// program and the fault programs, on a page-fault perf event per CPU whose samples the programs drop. Hybrid mode
/// records the switches and faults as perf events too; the kernel's sums give a phase's figures where those events
/// are not recorded (faults with --no-fault-events) and are what full mode's cross-check holds to its events. Where
/// they cannot attach, the syscall counts still run, and <see cref="KernelPhaseCapture.ActivityUnavailable"/> says
/// why the rest is not measured.
/// </remarks>
internal sealed class KernelPhaseCounter : IDisposable
{
    /// <summary>The embedded object's manifest resource name.</summary>
    internal const string ObjectResource = "GpuOsSpec.Tracing.Bpf.phases.bpf.o";

    // Each run of a phase is a new set, so a loop makes keys per step and thread: room for many, allocated as used. A
    // marker's on-CPU stretch travels in its record, so gos_phase takes keys only at switches, faults and execs.
    private const uint SysEntries = 1 << 20;
    private const uint PhaseEntries = 1 << 20;

    // phases.h's enum gos_stat: the stats that mean a figure is missing.
    private static readonly (int Index, string Meaning)[] LossStats =
    [
        (1, "marker probe hit(s) carried no readable gpuos record"),
        (5, "syscall, switch, fault or on-CPU count(s) were lost because a kernel per-phase map (gos_sys or gos_phase) was full"),
        (6, "marker, fork or exec record(s) were lost because the kernel's ring buffer was full"),
        (8, "process(es) or thread(s) of the traced tree could not be followed (the kernel's process map was full, or it had no storage for the thread), so none of their syscalls were counted"),
    ];

    private const string MarkerProgram = "gos_marker";

    // The programs attached: the syscall entry (which keeps the open set at entry) and exit, a switch away (which
    // carries that set to another CPU; attached first, so no record is left behind by a task switched away before it),
    // fork, exec and exit tracepoints (each where its section says), and the marker uprobe.
    private static readonly string[] Attached = ["gos_switch_entry", "gos_sys_enter", "gos_sys_exit", "gos_fork", "gos_exec", "gos_exit", MarkerProgram];

    // The activity programs (gos_phase): switches at their tracepoint, faults on a perf event per CPU.
    private const string SwitchProgram = "gos_switch";
    private static readonly (string Program, ulong Config)[] FaultPrograms =
        [("gos_fault_minor", PerfConstants.SwPageFaultsMin), ("gos_fault_major", PerfConstants.SwPageFaultsMaj)];

    private readonly BpfObject _object;
    private readonly BpfRingBuffer _events;
    private readonly List<KernelPhaseEvent> _read = [];
    private readonly MarkerProbe _probe;
    private readonly bool _readAtEndOnly;
    private long _unreadable;
    private readonly bool _countActivity;
    private string? _activityUnavailable;
    private Thread? _reader;
    private volatile bool _stop;

    /// <param name="probe">The marker probe's library and offset.</param>
    /// <param name="counter">Hybrid mode's syscall counter, whose per-number counts and decode-set records this
    /// object's sys_enter and sys_exit programs then make in its maps (phases.bpf.c includes hybrid_counts.h), so that
    /// the counter's own syscall programs need not run too; null: this object's copies of those maps are its own and
    /// stay unread.</param>
    /// <param name="countActivity">Also count switches, faults and on-CPU time per set (gos_phase).</param>
    /// <param name="readAtEndOnly">Tests: the ring buffer is read only by <see cref="Finish"/>, so that more records
    /// than it holds are lost for certain.</param>
    /// <param name="resource">The embedded object; tests name one that does not exist.</param>
    /// <param name="witness">Full mode's cross-check: also record each counted switch and fault where it was counted,
    /// with the clock reads around each open-set access (phases.bpf.c's gos_witness), a ring-buffer record apiece.
    /// </param>
    /// <exception cref="BpfUnavailableException">When the object cannot be opened or loaded.</exception>
    internal KernelPhaseCounter(MarkerProbe probe, BpfSyscallCounter? counter = null, bool countActivity = true, bool readAtEndOnly = false, string resource = ObjectResource,
        bool witness = false)
    {
        _probe = probe;
        _countActivity = countActivity;
        _activityUnavailable = countActivity ? null : "not asked for";
        _readAtEndOnly = readAtEndOnly;
        try
        {
            _object = BpfObject.OpenEmbedded(typeof(KernelPhaseCounter).Assembly, resource);
        }
        catch (BpfException ex)
        {
            throw new BpfUnavailableException($"{ex.Message}. Per-phase syscall counts need it");
        }
        try
        {
            _object.SetMaxEntries("gos_sys", SysEntries);
            _object.SetMaxEntries("gos_phase", PhaseEntries);
            foreach (var (name, map) in counter?.SharedMaps ?? [])
            {
                _object.ReuseMap(name, map);
            }
            _object.Load();
            if (witness)
            {
                _object.Map("gos_witness").Update(0u, 1u);
            }
            _events = new BpfRingBuffer(_object.Map("gos_events"), OnRecord);
        }
        catch (BpfException ex)
        {
            _object.Dispose();
            throw new BpfUnavailableException($"{ex.Message}. Per-phase syscall counts need it");
        }
    }

    /// <summary>Follows the root process, counted from its exec.</summary>
    internal void Track(int pid) => _object.Map("gos_tgids").Update((uint)pid, 0u);

    /// <summary>The kernel's id of the marker program where <see cref="Attach"/> put it on the caller's marker perf
    /// event, else null: the kernel lists it among that tracepoint's programs, where it is no foreign one.</summary>
    internal uint? ProgramOnMarkerEvent { get; private set; }

    /// <summary>Attaches the programs and starts reading the ring buffer.</summary>
    /// <param name="markerEvent">A perf event of the marker probe (the tracefs uprobe on gpuos_probe_marker) that is
    /// not inherited and lives until the capture ends: the marker program joins the probe's program array through it,
    /// so it runs for every hit that the traced tree's inherited marker events let through (the probe is only placed in
    /// the traced processes), and its 0 return keeps the kernel from writing any sample of them (the counter is then
    /// the markers' only reader). Null: the program is attached for every process that maps the library (pid -1) and
    /// filters by the followed tree, beside any perf reader of the markers (full mode's cross-check).</param>
    /// <exception cref="BpfUnavailableException">When the kernel refuses an attachment.</exception>
    internal void Attach(int? markerEvent = null)
    {
        try
        {
            foreach (string program in Attached.Where(p => p != MarkerProgram))
            {
                _object.AttachAuto(program);
            }
            if (markerEvent is { } fd)
            {
                // The link closes the descriptor it is given when it is destroyed; the capture keeps its own.
                int own = Libc.Fcntl(fd, Libc.F_DUPFD_CLOEXEC, 0);
                if (own < 0)
                {
                    throw new BpfException($"Duplicating the marker perf event failed ({ErrnoNames.Name(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())})", 0);
                }
                try
                {
                    _object.AttachPerfEvent(MarkerProgram, own);
                }
                catch
                {
                    Libc.Close(own);
                    throw;
                }
                ProgramOnMarkerEvent = _object.ProgramId(MarkerProgram);
            }
            else
            {
                _object.AttachUprobe(MarkerProgram, returnProbe: false, pid: -1, _probe.LibraryPath, _probe.Offset);
            }
        }
        catch (BpfException ex)
        {
            throw new BpfUnavailableException($"{ex.Message}. Per-phase syscall counts need it");
        }
        if (_countActivity)
        {
            AttachActivity();
        }
        if (_readAtEndOnly)
        {
            return;
        }
        _reader = new Thread(() =>
        {
            while (!_stop)
            {
                _events.Poll(50);
            }
        }) { IsBackground = true, Name = "gpuosspec-phases" };
        _reader.Start();
    }

    // The switch and fault programs. A failure leaves the syscall counts whole and the activity not measured, with the
    // reason; the fault programs need a perf event on every online CPU, for every task, whose samples they drop.
    private void AttachActivity()
    {
        try
        {
            _object.AttachAuto(SwitchProgram);
            foreach (int cpu in CpuList.Online())
            {
                foreach (var (program, config) in FaultPrograms)
                {
                    var attr = new PerfEventAttr { Type = PerfConstants.TypeSoftware, Size = PerfEventAttr.SizeVer5, Config = config, SamplePeriod = 1 };
                    int fd = Libc.PerfEventOpen(ref attr, -1, cpu, -1, PerfConstants.FlagFdCloexec);
                    if (fd < 0)
                    {
                        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                        throw new BpfException($"perf_event_open of a page-fault event on CPU {cpu} failed ({ErrnoNames.Name(errno)})", errno);
                    }
                    _object.AttachPerfEvent(program, fd);
                }
            }
        }
        catch (BpfException ex)
        {
            _activityUnavailable = $"the kernel's switch and fault programs could not be attached ({ex.Message})";
        }
    }

    private void OnRecord(byte[] record)
    {
        if (KernelPhaseEvent.Read(record) is { } e)
        {
            _read.Add(e);
        }
        else
        {
            _unreadable++;
        }
    }

    /// <summary>
    /// Ends the window in which switches and faults are counted (gos_cut) a little ahead of now, and returns once that
    /// moment has passed: the caller drains its perf events after it and holds to the kernel's counts only its events
    /// from before it (CLOCK_MONOTONIC, the clock of both). Null when the update reached the kernel too late to be
    /// the cut for every event after it (the process was held up longer than the margin): then the two do not cover
    /// the same window.
    /// </summary>
    internal long? CutActivity()
    {
        // Far above a map update's few microseconds, and small beside a capture's stop.
        const long MarginNs = 5_000_000;
        long cut = Libc.MonotonicNanoseconds() + MarginNs;
        _object.Map("gos_cut").Update(0u, (ulong)cut);
        bool inTime = Libc.MonotonicNanoseconds() < cut;
        for (long left = cut - Libc.MonotonicNanoseconds(); left > 0; left = cut - Libc.MonotonicNanoseconds())
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(1, left / 100)));
        }
        return inTime ? cut : null;
    }

    /// <summary>
    /// Ends counting and reads everything: detaches the programs, waits out any still running (a grace period), empties
    /// the caches of threads still alive and of every CPU (the gos_flush iterator; phases.h says why gos_sys is exact
    /// only after it), then reads the ring buffer's rest, gos_sys, the loss stats and the runs the kernel skipped
    /// (<see cref="Losses"/>). Call once the traced command has exited.
    /// </summary>
    internal KernelPhaseCapture Finish()
    {
        _stop = true;
        _reader?.Join();
        _object.Detach();
        if (_object.FlushAfterGracePeriod("gos_flush") is not 0 and var errno)
        {
            throw new TracerException($"membarrier(MEMBARRIER_CMD_GLOBAL) failed ({ErrnoNames.Name(errno)}); the per-phase counts cannot be flushed safely.");
        }
        _events.Consume();

        var sys = _object.Map("gos_sys");
        var cells = new Dictionary<(ulong Set, int Tid, int Nr), (long Calls, long Errors)>();
        var value = new byte[32];
        foreach (var key in sys.Keys<KernelSyscallKey>())
        {
            if (!sys.Lookup(key, value))
            {
                continue;
            }
            var k = (key.Set, (int)key.Tid, (int)key.Number);
            var (calls, errors) = cells.GetValueOrDefault(k);
            cells[k] = (calls + BinaryPrimitives.ReadInt64LittleEndian(value), errors + BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(8)));
        }

        var activity = _activityUnavailable is null ? ReadActivity() : null;

        var (sums, unreadStats) = _object.Map("gos_stats").SumPerCpu(LossStats.Select(s => s.Index), CpuList.PossibleCount());
        long misses = 0;
        string? missesUnread = null;
        try
        {
            misses = Attached.Concat(_activityUnavailable is null ? [SwitchProgram, .. FaultPrograms.Select(f => f.Program)] : []).Sum(_object.RecursionMisses);
        }
        catch (BpfException ex)
        {
            missesUnread = ex.Message;
        }
        // An unreadable loss stat is no loss of 0: it is reported, and counted, as the skipped runs are.
        if (unreadStats.Count > 0)
        {
            missesUnread = string.Join("; ", new[] { missesUnread, $"gos_stats {string.Join(", ", unreadStats)} could not be read" }.OfType<string>());
        }
        var (lost, notes) = Losses(sums, _unreadable, misses, missesUnread);
        return new KernelPhaseCapture(_read, cells.Select(c => new KernelSyscallCell(c.Key.Set, c.Key.Tid, c.Key.Nr, c.Value.Calls, c.Value.Errors)).ToList(), lost, notes)
        {
            Activity = activity,
            ActivityUnavailable = _activityUnavailable,
        };
    }

    // gos_phase, summed over the counting thread's own paths as gos_sys is, with the on-CPU stretches the markers
    // ended, which their records carry instead (phases.h's gos_event). It takes no cache, so it is whole once the
    // programs are detached; a thread on its CPU at the end has its last stretch unended, not in on-CPU time.
    private List<KernelActivityCell> ReadActivity()
    {
        var map = _object.Map("gos_phase");
        var sums = new Dictionary<(ulong Set, int Tid), KernelActivityCell>();
        var value = new byte[40];
        foreach (var key in map.Keys<KernelPhaseKey>())
        {
            if (!map.Lookup(key, value))
            {
                continue;
            }
            long At(int i) => BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(8 * i));
            var k = (key.Set, (int)key.Tid);
            var c = sums.GetValueOrDefault(k, new KernelActivityCell(key.Set, (int)key.Tid, 0, 0, 0, 0, 0));
            sums[k] = c with
            {
                Voluntary = c.Voluntary + At(0),
                Involuntary = c.Involuntary + At(1),
                MinorFaults = c.MinorFaults + At(2),
                MajorFaults = c.MajorFaults + At(3),
                OnCpuNs = c.OnCpuNs + At(4),
            };
        }
        foreach (var e in _read.Where(e => e.Kind == KernelPhaseEvent.Marker && e.SliceOnCpuNs > 0))
        {
            var k = (e.SliceSet, e.Tid);
            var c = sums.GetValueOrDefault(k, new KernelActivityCell(e.SliceSet, e.Tid, 0, 0, 0, 0, 0));
            sums[k] = c with { OnCpuNs = c.OnCpuNs + e.SliceOnCpuNs };
        }
        return [.. sums.Values];
    }

    /// <summary>
    /// What is missing from the counts: the loss stats (by phases.h's gos_stat index), ring buffer records too short to
    /// read, and runs of the attached programs the kernel skipped because the program was already running on that CPU
    /// (recursion_misses: a skipped syscall exit counted nothing, a skipped marker left its phase unknown), or why
    /// those could not be read (then the counts cannot be known exact). Each is counted as lost, with a note.
    /// </summary>
    internal static (long Lost, List<string> Notes) Losses(IReadOnlyDictionary<int, long> stats, long unreadable, long recursionMisses, string? missesUnread)
    {
        var tally = new CounterLossTally("hybrid mode's phase counter");
        tally.AddStats(stats, LossStats);
        tally.Add(unreadable, $"{unreadable:N0} ring buffer record(s) could not be read (shorter than a gos_event, or a marker of an unknown kind or class); they are counted as lost.");
        tally.AddSkippedRuns(recursionMisses, missesUnread, "a syscall, marker, fork, exec or exit");
        return (tally.Lost, tally.Notes);
    }

    public void Dispose()
    {
        _stop = true;
        _reader?.Join();
        _events.Dispose();
        _object.Dispose();
    }
}
