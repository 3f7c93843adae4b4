using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Opens perf events on a set of threads (each with inherit, so threads and processes they create later are covered),
/// shares one ring buffer per CPU through PERF_EVENT_IOC_SET_OUTPUT, drains the buffers on its own thread, and in
/// hybrid mode counts every syscall in the kernel with eBPF (<see cref="BpfSyscallCounter"/>). In full mode eBPF joins
/// each syscall's entry and exit in the kernel into one record (<see cref="SyscallRecorder"/>), drained with the perf
/// buffers; where it cannot load, the perf sys_enter and sys_exit samples are paired in user space instead.
/// </summary>
internal sealed class PerfCapture : IDisposable
{
    private const ulong SampleLayout = PerfConstants.SampleIdentifier | PerfConstants.SampleTid | PerfConstants.SampleTime | PerfConstants.SampleCpu;
    private readonly PerfMode _mode;
    private readonly int _bufferPages;
    private readonly bool _recordFaults;
    private readonly bool _faultEventsWhereCounted;

    // Hybrid mode's phase counter loaded and sums the faults per phase run, and no fault event is to be recorded beside
    // it (CaptureOptions.FaultEventsWhereCounted): decided at the root's attach, before any event is opened.
    private bool _faultsCountedOnly;
    private readonly bool _enableOnExec;
    private readonly int[] _cpus;
    private readonly List<int> _fds = [];
    // The API counter's programs sit on these: one event of each probe on the first thread attached, without inherit.
    private readonly List<int> _anchorFds = [];
    // Where the API counter runs: each traced thread's events on the probes, inherited, never enabled
    // (OpenCountedApiEvents).
    private readonly List<int> _apiEventFds = [];
    private readonly Dictionary<int, PerfRingBuffer> _buffers = [];
    private readonly List<PerfRingBuffer> _extraBuffers = [];
    private BpfSyscallCounter? _bpf;
    private SyscallRecorder? _records;
    private (long Lost, List<string> Notes)? _recordsFinished;
    private KernelPhaseCounter? _phases;
    private readonly MarkerProbe? _markerProbe;
    private readonly bool _crossCheckPhases;
    private readonly bool _phaseEventsAtEndOnly;
    private readonly string _phaseObject;
    // The first marker perf event opened: hybrid mode's phase counter attaches its marker program to it.
    private readonly Dictionary<ulong, PerfEventKind> _kinds = [];
    // The thread each per-thread event was opened on, by its id.
    private readonly Dictionary<ulong, int> _owners = [];
    // One event per tracepoint this capture samples (by config), to ask the kernel which classic eBPF programs are
    // attached to the tracepoint, and the programs seen there while the capture ran, by tracepoint.
    private readonly Dictionary<ulong, (string Name, int Fd)> _tracepoints = [];
    private readonly SortedDictionary<string, SortedSet<uint>> _foreignPrograms = new(StringComparer.Ordinal);
    // The ids of this capture's own programs on its sampled tracepoints (the phase counter's on the marker event).
    private readonly HashSet<uint> _ownPrograms = [];
    private readonly HashSet<int> _attachedTids = [];
    private readonly SyscallTable _table = SyscallTable.Current;
    private readonly object _drainGate = new();
    private bool _disposed;
    private int _disposeStarted;
    private Thread? _reader;
    private volatile bool _stopReader;

    private readonly MarkerEvent? _markers;
    private readonly ApiLibraries _apiLibraries;
    private ApiProbes? _api;
    // The in-kernel API counter; null when API calls are sampled by perf instead (asked for, or eBPF unavailable).
    private KernelApiCounter? _apiCounter;
    private bool _apiTracked;
    // The counter's entry and return programs are on the probes' events (of the first thread attached).
    private bool _apiProbesAttached;
    // Perf sample id to the API function whose probe it is.
    private readonly Dictionary<ulong, int> _apiTags = [];

    // pairInUserSpace, full mode only: pair perf's sys_enter and sys_exit samples in user space even
    // where the kernel could join them (the way full mode worked before; tests compare both).
    internal PerfCapture(PerfMode mode, int bufferPages, bool recordFaults, bool enableOnExec, MarkerProbe? markers = null,
        ApiLibraries api = GpuOsSpec.Tracing.Sources.ApiLibraries.None, bool apiSamples = false, string apiObject = KernelApiCounter.ObjectResource,
        bool crossCheckPhases = false, bool pairInUserSpace = false, bool phaseEventsAtEndOnly = false, string? phaseObject = null,
        bool faultEventsWhereCounted = true)
    {
        _faultEventsWhereCounted = faultEventsWhereCounted;
        _apiLibraries = api;
        _phaseEventsAtEndOnly = phaseEventsAtEndOnly;
        _phaseObject = phaseObject ?? KernelPhaseCounter.ObjectResource;
        _mode = mode;
        _crossCheckPhases = crossCheckPhases;
        _bufferPages = bufferPages;
        _recordFaults = recordFaults;
        _enableOnExec = enableOnExec;
        try
        {
            _markerProbe = markers;
            _markers = markers?.Register();
            if (api != GpuOsSpec.Tracing.Sources.ApiLibraries.None)
            {
                DefineApi(apiSamples, apiObject);
            }
            _cpus = CpuList.Online();
            var switchFormat = Tracefs.Format("sched", "sched_switch")
                ?? throw new TracerException($"tracefs has no sched:sched_switch format. Fix: {Tracefs.MountFix}.");
            Fds = new FdTable();
            Collector = new PerfCollector(_kinds, switchFormat, _cpus.Max() + 1, Fds, _table)
            {
                MarkerFormat = _markers?.Format,
                ApiTags = _apiTags,
                EventOwners = _owners,
                AttachedTids = _attachedTids,
            };
            if (mode == PerfMode.Full)
            {
                if (pairInUserSpace)
                {
                    SyscallPairing = "full mode: each syscall's perf sys_enter and sys_exit samples are paired in user space (asked for).";
                }
                else
                {
                    try
                    {
                        // As much room as the perf buffers the records replace: every CPU's share, in one buffer.
                        _records = new SyscallRecorder((long)bufferPages * Environment.SystemPageSize * _cpus.Length, Collector.OnSyscallRecord);
                    }
                    catch (BpfUnavailableException ex)
                    {
                        SyscallPairing = $"full mode: the kernel cannot join each syscall's entry and exit with eBPF here ({ex.Message}), so perf's sys_enter and sys_exit samples are paired in user space, at a higher cost per syscall.";
                    }
                }
            }
        }
        catch
        {
            _apiCounter?.Dispose();
            _records?.Dispose();
            _api?.Dispose();
            _markers?.Dispose();
            throw;
        }
        // A process that exits while tracing (Environment.Exit, the end of Main with a capture undisposed) still closes
        // its events and removes its probes. A signal's default action runs no handler: a program that must clean up on
        // SIGTERM registers for it (gpuosspec does, and interrupts the trace); a probe left by a killed process is
        // removed by the next capture (UprobeGroup.RemoveStale).
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    internal PerfCollector Collector { get; }

    internal FdTable Fds { get; }

    internal IReadOnlyCollection<int> AttachedTids => _attachedTids;

    /// <summary>Full mode: how syscalls are recorded, when it is not the kernel-joined records (a note for the trace),
    /// else null.</summary>
    internal string? SyscallPairing { get; private set; }

    /// <summary>The probed API functions (by index), or null when none are probed.</summary>
    internal ApiProbes? Api => _api;

    /// <summary>True when the API calls are counted in the kernel (<see cref="KernelApiCounter"/>), false when their
    /// probes are sampled by perf.</summary>
    internal bool ApiCountedInKernel => _apiCounter is not null;

    /// <summary>Why the API calls are sampled by perf although counting them in the kernel was not declined, or
    /// null.</summary>
    internal string? ApiCounterUnavailable { get; private set; }

    // Tracefs probes either way: their perf events, opened on the traced threads with inherit, install the probes in
    // the traced tree only. The kernel counter rides them where it loads; else they are sampled by perf.
    private void DefineApi(bool samples, string apiObject)
    {
        _api = ApiProbes.Define(_apiLibraries);
        if (!samples)
        {
            try
            {
                _apiCounter = new KernelApiCounter(_api.Functions, apiObject);
            }
            catch (BpfUnavailableException ex)
            {
                ApiCounterUnavailable = ex.Message;
            }
        }
    }

    // The kernel counter follows the traced process from the first attach: a command's launcher (counted from its
    // exec), or this process (counted at once). A kernel that refuses an attachment leaves the perf samples.
    private void AttachApiCounter(int tid)
    {
        if (_apiCounter is null || _apiTracked)
        {
            return;
        }
        _apiTracked = true;
        try
        {
            _apiCounter.Track(_enableOnExec ? tid : Environment.ProcessId, armed: !_enableOnExec);
            _apiCounter.Attach();
        }
        catch (BpfUnavailableException ex)
        {
            DropApiCounter(ex.Message);
        }
    }

    // The probes' events are open and tagged either way: without the counter's programs on them, they are sampled.
    private void DropApiCounter(string why)
    {
        ApiCounterUnavailable = why;
        _apiCounter?.Dispose();
        _apiCounter = null;
    }

    // Where the counter runs, the probes' events on a traced thread only say where the kernel installs the probes: a
    // probe's perf filter takes the memory of every process with an event on it, from the event's creation (its
    // inherited copies' too), enabled or not, and the counter's programs run for every hit the filter lets through. So
    // they are opened with inherit and never enabled, and write no sample. One event per thread for all CPUs, all in
    // one group under the first: a context switch visits a thread's events group by group, and a disabled leader ends
    // its group's visit, where 80 events of their own (OpenCL's probes) would each be visited at every switch. False
    // when the thread is gone.
    private bool OpenCountedApiEvents(int tid)
    {
        int leader = -1;
        foreach (var f in _api!.Functions)
        {
            foreach (ulong id in new[] { f.EntryId, f.ReturnId })
            {
                var attr = NewAttr(PerfConstants.TypeTracepoint, id, SampleLayout);
                attr.Flags &= ~PerfConstants.FlagEnableOnExec;
                int fd = Libc.PerfEventOpen(ref attr, tid, -1, leader, PerfConstants.FlagFdCloexec);
                if (fd < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.ESRCH)
                    {
                        return false;
                    }
                    throw OpenFailure($"API probe {f.Name}", errno);
                }
                _apiEventFds.Add(fd);
                if (leader < 0)
                {
                    leader = fd;
                }
            }
        }
        return true;
    }

    // The counter's entry and return programs go on one event of each probe: a program on a probe's event runs for
    // every hit any of the probe's events lets through. Not on an inherited event: the kernel gives each inherited copy
    // the program too, and when a copy is freed (its thread or process exits) it takes the program out of the probe's
    // program array for every event (perf_event_detach_bpf_prog), so the first thread that ended would end the count
    // (seen: no call counted after a thread the program started and joined). The program sits instead on an event of
    // its own, on the first thread attached, without inherit, disabled, and with no buffer: freed only when the capture
    // closes it, and writing nothing.
    private void AttachApiPrograms(int tid)
    {
        if (_apiCounter is null || _apiProbesAttached || _api is null)
        {
            return;
        }
        _apiProbesAttached = true;
        var anchors = new List<(int Function, bool Return, int Fd)>();
        foreach (var f in _api.Functions)
        {
            foreach (var (isReturn, id) in new[] { (false, f.EntryId), (true, f.ReturnId) })
            {
                var attr = NewAttr(PerfConstants.TypeTracepoint, id, SampleLayout);
                attr.Flags &= ~(PerfConstants.FlagInherit | PerfConstants.FlagEnableOnExec);
                int fd = Libc.PerfEventOpen(ref attr, tid, -1, -1, PerfConstants.FlagFdCloexec);
                if (fd < 0)
                {
                    DropApiCounter($"perf_event_open of the probe {f.Name} ({(isReturn ? "return" : "entry")}) for its program failed ({ErrnoNames.Name(Marshal.GetLastPInvokeError())})");
                    return;
                }
                _anchorFds.Add(fd);
                anchors.Add((f.Index, isReturn, fd));
            }
        }
        try
        {
            _apiCounter.AttachProbes(anchors);
        }
        catch (BpfUnavailableException ex)
        {
            DropApiCounter(ex.Message);
        }
    }

    // The phase counter's marker program goes on an event of the marker probe of its own, for the reason the API
    // counter's programs do (AttachApiPrograms): on an inherited marker event, the first traced thread to exit took the
    // program out of the probe's program array, and every later marker was a perf sample the capture then dropped
    // (seen: 1 marker read of 10, rules gpu, whose setup starts and joins a thread). Null when no marker is probed.
    private int? MarkerAnchor(int tid)
    {
        if (_markers is not { } m)
        {
            return null;
        }
        var attr = NewAttr(PerfConstants.TypeTracepoint, m.Id, SampleLayout);
        attr.Flags &= ~(PerfConstants.FlagInherit | PerfConstants.FlagEnableOnExec);
        int fd = Libc.PerfEventOpen(ref attr, tid, -1, -1, PerfConstants.FlagFdCloexec);
        if (fd < 0)
        {
            throw new BpfUnavailableException($"perf_event_open of the gpuos marker probe for the phase counter's program failed ({ErrnoNames.Name(Marshal.GetLastPInvokeError())})");
        }
        _anchorFds.Add(fd);
        return fd;
    }

    /// <summary>Ends the in-kernel API counter and reads it (once the command has exited, or the session ended); null
    /// when API calls are sampled by perf.</summary>
    internal KernelApiCapture? FinishApi() => _apiCounter?.Finish();

    /// <summary>True when every page fault is recorded as an event: asked for, and not left to hybrid mode's phase
    /// counter alone (<see cref="FaultsCountedOnly"/>).</summary>
    internal bool FaultsRecorded => _recordFaults && !_faultsCountedOnly;

    /// <summary>True when the faults were to be events but hybrid mode's phase counter loaded, so they are its sums
    /// alone (CaptureOptions.FaultEventsWhereCounted false).</summary>
    internal bool FaultsCountedOnly => _faultsCountedOnly;

    /// <summary>Opens every event on <paramref name="tid"/> for every CPU; returns false when the thread is already
    /// gone.</summary>
    internal bool Attach(int tid)
    {
        if (!_attachedTids.Add(tid))
        {
            return true;
        }
        // Before the perf events: a counter the kernel refuses falls back to probes that are sampled.
        AttachApiCounter(tid);
        AttachApiPrograms(tid);
        if (_apiCounter is not null && !OpenCountedApiEvents(tid))
        {
            return false;
        }
        if (_mode == PerfMode.Hybrid)
        {
            AttachBpf(tid);
            _faultsCountedOnly = _recordFaults && !_faultEventsWhereCounted && _phases is not null;
        }
        else if (_crossCheckPhases)
        {
            LoadCrossCheckCounter(tid);
        }
        if (_records is { } records)
        {
            // Before any perf event is opened: if the kernel refuses the programs, the syscall samples are opened
            // instead.
            try
            {
                // In process, every thread attached is one of ours; a command's launcher is its own process.
                records.Track(_enableOnExec ? tid : Environment.ProcessId, tid, armedNow: !_enableOnExec);
                records.Attach();
                if (_enableOnExec)
                {
                    records.Enable(true);
                }
            }
            catch (Exception ex) when (ex is BpfUnavailableException or BpfException)
            {
                if (_attachedTids.Count > 1)
                {
                    throw;
                }
                SyscallPairing = $"full mode: the kernel refused the eBPF programs that join each syscall's entry and exit ({ex.Message}), so perf's sys_enter and sys_exit samples are paired in user space, at a higher cost per syscall.";
                records.Dispose();
                _records = null;
            }
        }
        foreach (int cpu in _cpus)
        {
            bool first = true;
            foreach (var (kind, type, config, sampleType, tag) in SampledEvents())
            {
                int fd = Open(type, config, sampleType, tid, cpu, withTask: first, switchRecords: kind == PerfEventKind.Switch, out int errno);
                if (fd < 0)
                {
                    if (errno == Errno.ESRCH)
                    {
                        return false;
                    }
                    throw OpenFailure(kind.ToString(), errno);
                }
                ulong id = Register(fd, kind, cpu);
                _owners[id] = tid;
                if (type == PerfConstants.TypeTracepoint)
                {
                    _tracepoints.TryAdd(config, (TracepointName(kind, tag), fd));
                }
                if (tag >= 0)
                {
                    _apiTags[id] = tag;
                }
                first = false;
            }
        }
        if (_phases is not null)
        {
            try
            {
                // Hybrid mode: on an event of the marker probe, where it runs for every hit the traced tree's marker
                // events let through and keeps the kernel from writing their samples.
                _phases.Attach(_mode == PerfMode.Hybrid ? MarkerAnchor(tid) : null);
                if (_phases.ProgramOnMarkerEvent is { } own)
                {
                    _ownPrograms.Add(own);
                }
            }
            catch (BpfUnavailableException ex)
            {
                // The marker events stay open with no program: the markers are perf samples, as before.
                PhaseCounterUnavailable = ex.Message;
                _phases.Dispose();
                _phases = null;
            }
        }
        // The phase counter's sys_enter and sys_exit programs, once attached, count for the syscall counter too
        // (hybrid_counts.h): one program at each end of a syscall. Where they did not attach, the counter's own count.
        _bpf?.Attach(countSyscalls: _phases is null);
        return true;
    }

    // Hybrid mode: per-CPU BPF output events own each CPU's buffer; the programs write the decode-set calls there.
    private void AttachBpf(int rootPid)
    {
        if (_bpf is not null)
        {
            throw new TracerException("Hybrid mode traces one process tree; attach a single root process.");
        }
        var decode = DecodeSet.Names.Select(_table.Number).OfType<int>().ToList();
        // Counted at entry: exit and exit_group never reach sys_exit, and rt_sigreturn's sys_exit carries the number
        // in the registers it restored (-1), not its own.
        var noReturn = new[] { "exit", "exit_group", "rt_sigreturn" }.Select(_table.Number).OfType<int>().ToArray();
        _bpf = new BpfSyscallCounter(decode, noReturn);
        foreach (int cpu in _cpus)
        {
            var attr = NewAttr(PerfConstants.TypeSoftware, PerfConstants.SwBpfOutput, SampleLayout | PerfConstants.SampleRaw);
            attr.Flags &= ~(PerfConstants.FlagDisabled | PerfConstants.FlagInherit | PerfConstants.FlagEnableOnExec);
            int fd = Libc.PerfEventOpen(ref attr, -1, cpu, -1, PerfConstants.FlagFdCloexec);
            if (fd < 0)
            {
                throw OpenFailure("bpf-output", Marshal.GetLastPInvokeError());
            }
            Register(fd, PerfEventKind.BpfSyscall, cpu);
            _bpf.SetOutput(cpu, fd);
        }
        _bpf.Track(rootPid);
        if (_markerProbe is { } probe)
        {
            try
            {
                _phases = new KernelPhaseCounter(probe, _bpf, readAtEndOnly: _phaseEventsAtEndOnly, resource: _phaseObject);
                _phases.Track(rootPid);
            }
            catch (BpfUnavailableException ex)
            {
                PhaseCounterUnavailable = ex.Message;
            }
        }
    }

    // Full mode's cross-check (--cross-check-phases): hybrid mode's phase counter alone, beside the per-event
    // tracepoints (the marker samples included), its counts read by FinishPhases and kept apart from full mode's
    // figures.
    private void LoadCrossCheckCounter(int rootPid)
    {
        if (_phases is not null || PhaseCounterUnavailable is not null)
        {
            throw new TracerException("The phase cross-check follows one process tree; attach a single root process.");
        }
        if (_markerProbe is not { } probe)
        {
            PhaseCounterUnavailable = "no gpuos markers are read, so there are no phases to count";
            return;
        }
        try
        {
            _phases = new KernelPhaseCounter(probe, witness: true);
            _phases.Track(rootPid);
        }
        catch (BpfUnavailableException ex)
        {
            PhaseCounterUnavailable = ex.Message;
        }
    }

    /// <summary>Hybrid mode: what the syscall counter's counts miss (read once the command has exited); no loss
    /// otherwise.</summary>
    internal (long Lost, List<string> Notes) CounterLosses() => _bpf?.ReadLosses() ?? (0, []);

    /// <summary>
    /// True when the markers are read by hybrid mode's phase counter alone (its ring buffer records: <see
    /// cref="KernelPhaseEvent.ToMarker"/>): its program runs on the marker perf event and returns 0, so the kernel
    /// writes no sample of it, and a marker costs one program run, not that and a perf sample. False in full mode (the
    /// cross-check too) and where the counter did not run.
    /// </summary>
    internal bool MarkersFromPhaseCounter => _mode == PerfMode.Hybrid && _phases is not null;

    /// <summary>Why hybrid mode's phase counter did not run although markers were probed, or null.</summary>
    internal string? PhaseCounterUnavailable { get; private set; }

    /// <summary>Ends the phase counter's window for switches and faults before the last drain (<see
    /// cref="KernelPhaseCounter.CutActivity"/>): its time, or null when no counter runs or the cut came too
    /// late.</summary>
    internal long? CutPhaseActivity() => _phases?.CutActivity();

    /// <summary>Hybrid mode with markers, or full mode's cross-check: ends the phase counter and reads it (once the
    /// command has exited); null when it did not run.</summary>
    internal KernelPhaseCapture? FinishPhases() => _phases?.Finish();

    /// <summary>Enables every event (not needed with enable-on-exec).</summary>
    internal void Enable()
    {
        _records?.Enable(true);
        foreach (int fd in _fds)
        {
            Libc.Ioctl(fd, PerfConstants.IocEnable, 0);
        }
        lock (_drainGate)
        {
            CheckForeignPrograms();
        }
    }

    /// <summary>Why the capture could not ask the kernel for the eBPF programs attached to its tracepoints, or
    /// null.</summary>
    internal string? ForeignProgramCheckFailed { get; private set; }

    // A classic eBPF program attached to a tracepoint (perf_event_open + PERF_EVENT_IOC_SET_BPF, or a tracepoint link)
    // runs before perf's samples are made, and when it returns 0 the kernel drops the sample for every perf user of the
    // tracepoint: no lost record, no count. The positive controls only see such a program while it is there at a
    // control, so one that comes and goes between two leaves a short count that looks exact. The kernel lists them:
    // asked at the start and at every drain, a program attached for at least a drain period is seen. Our own programs
    // are BTF tracepoints or uprobe links, never in these lists, except where one rides this capture's own perf event
    // (the phase counter's marker program in hybrid mode): those ids are left out. No allocation unless one is found:
    // this runs on the drain loop while the traced threads run.
    private unsafe void CheckForeignPrograms()
    {
        Span<uint> query = stackalloc uint[2 + PerfConstants.MaxTracepointPrograms];
        foreach (var (name, fd) in _tracepoints.Values)
        {
            query.Clear();
            query[0] = PerfConstants.MaxTracepointPrograms;
            int rc;
            fixed (uint* q = query)
            {
                rc = Libc.Ioctl(fd, PerfConstants.IocQueryBpf, (nint)q);
            }
            int errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
            if (errno is not 0 and not Errno.ENOSPC)
            {
                ForeignProgramCheckFailed ??= $"PERF_EVENT_IOC_QUERY_BPF on {name} failed with {ErrnoNames.Name(errno)}";
                continue;
            }
            int count = (int)Math.Min(query[1], (uint)PerfConstants.MaxTracepointPrograms);
            for (int i = 0; i < count; i++)
            {
                uint program = query[2 + i];
                if (_ownPrograms.Contains(program))
                {
                    continue;
                }
                if (!_foreignPrograms.TryGetValue(name, out var ids))
                {
                    ids = [];
                    _foreignPrograms[name] = ids;
                }
                ids.Add(program);
            }
        }
    }

    private string TracepointName(PerfEventKind kind, int tag) => kind switch
    {
        PerfEventKind.SysEnter => "raw_syscalls:sys_enter",
        PerfEventKind.SysExit => "raw_syscalls:sys_exit",
        PerfEventKind.Switch => "sched:sched_switch",
        PerfEventKind.Marker => "the gpuos marker probe",
        PerfEventKind.ApiEntry => $"the entry probe of {_api?.Functions[tag].Name}",
        PerfEventKind.ApiReturn => $"the return probe of {_api?.Functions[tag].Name}",
        _ => kind.ToString(),
    };

    /// <summary>Disables every event.</summary>
    internal void Disable()
    {
        foreach (int fd in _fds)
        {
            Libc.Ioctl(fd, PerfConstants.IocDisable, 0);
        }
        _records?.Enable(false);
    }

    /// <summary>
    /// Once the buffers are drained for good: ends the kernel-joined records (the calls threads are still in, the rest
    /// of the buffer) and moves every entry still waiting for its exit to the orphans.
    /// </summary>
    internal void FinishSyscalls()
    {
        lock (_drainGate)
        {
            if (_records is { } records && _recordsFinished is null && !_disposed)
            {
                _recordsFinished = records.Finish();
            }
        }
        Collector.FlushPending();
    }

    /// <summary>Full mode's kernel-joined records: what they lost, with the notes saying why (0 and none when the
    /// records did not run).</summary>
    internal (long Lost, IReadOnlyList<string> Notes) RecordLosses() =>
        _recordsFinished is { } finished ? (finished.Lost, finished.Notes) : (0, []);

    /// <summary>Full mode's kernel-joined records: the probes' own syscalls counted in their stead, by name; null when
    /// the records did not run.</summary>
    internal IReadOnlyDictionary<string, long>? RecordedProbeSyscalls() => _recordsFinished is null ? null : _records?.ProbeSyscalls;

    /// <summary>Starts draining the buffers on a dedicated thread.</summary>
    internal void StartReader()
    {
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "gpuosspec-perf" };
        _reader.Start();
    }

    /// <summary>Stops the reader, drains what is left, and pairs entries left without exits.</summary>
    internal void StopAndDrain()
    {
        _stopReader = true;
        _reader?.Join();
        DrainAll();
        FinishSyscalls();
    }

    /// <summary>
    /// After the last drain: why events may have been lost without a lost record (a buffer found full at a read and
    /// never written to again), or null.
    /// </summary>
    internal string? UnreportedLoss()
    {
        var reasons = new List<string>();
        var full = _buffers.Values.Concat(_extraBuffers).Where(b => b.FullWithoutLostRecord).Select(b => b.Cpu).Distinct().Order().ToList();
        if (full.Count > 0)
        {
            reasons.Add($"the ring buffer of CPU {string.Join(", ", full)} was full when it was read, and nothing was written to it afterwards, so the kernel never reported how many events it dropped ({_bufferPages} pages per CPU; raise the buffer size, CaptureOptions.BufferPages or --buffer-pages, or trace less)");
        }
        if (_foreignPrograms.Count > 0)
        {
            string where = string.Join("; ", _foreignPrograms.Select(p => $"{p.Key} (program id {string.Join(", ", p.Value)})"));
            reasons.Add($"a foreign eBPF program was attached to a tracepoint this capture samples while it ran: {where}. Such a program decides, for every perf user of the tracepoint, whether the kernel keeps each sample, and a sample it drops is neither recorded nor reported (`bpftool perf` lists them; stop it, or trace where this capture's own eBPF loads, whose records it cannot drop)");
        }
        return reasons.Count == 0 ? null : string.Join("; and ", reasons);
    }

    /// <summary>Hybrid mode's in-kernel counts (calls, failures) by syscall name, for syscalls outside the decode
    /// set.</summary>
    internal Dictionary<string, (long Calls, long Errors)> ReadCounters()
    {
        var result = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        if (_bpf is null)
        {
            return result;
        }
        var (calls, errors) = _bpf.Read();
        for (int nr = 0; nr < calls.Length; nr++)
        {
            string name = _table.Name(nr);
            if (calls[nr] > 0 && !DecodeSet.Names.Contains(name))
            {
                result[name] = (calls[nr], errors[nr]);
            }
        }
        return result;
    }

    /// <summary>Hybrid mode's in-kernel call counts of the decode-set syscalls, to check the per-event records
    /// against.</summary>
    internal Dictionary<string, long> ReadDecodeSetCounts()
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_bpf is null)
        {
            return result;
        }
        var (calls, _) = _bpf.Read();
        for (int nr = 0; nr < calls.Length; nr++)
        {
            string name = _table.Name(nr);
            if (calls[nr] > 0 && DecodeSet.Names.Contains(name))
            {
                result[name] = calls[nr];
            }
        }
        return result;
    }

    private void ReadLoop()
    {
        var leaders = _buffers.Values.Concat(_extraBuffers).Select(b => b.Fd).ToList();
        if (_records is { } records)
        {
            leaders.Add(records.EpollFd);
        }
        var polls = new Libc.PollFd[leaders.Count];
        for (int i = 0; i < leaders.Count; i++)
        {
            polls[i] = new Libc.PollFd { Fd = leaders[i], Events = Libc.POLLIN };
        }
        while (!_stopReader)
        {
            unsafe
            {
                fixed (Libc.PollFd* p = polls)
                {
                    Libc.Poll(p, (nuint)polls.Length, 10);
                }
            }
            DrainAll();
        }
    }

    internal void DrainAll()
    {
        lock (_drainGate)
        {
            if (_disposed)
            {
                return;
            }
            foreach (var buffer in _buffers.Values.Concat(_extraBuffers))
            {
                buffer.Drain(Collector);
            }
            _records?.Consume();
            CheckForeignPrograms();
        }
    }

    private IEnumerable<(PerfEventKind Kind, uint Type, ulong Config, ulong SampleType, int Tag)> SampledEvents()
    {
        const ulong raw = SampleLayout | PerfConstants.SampleRaw;
        if (_mode == PerfMode.Full && _records is null)
        {
            yield return (PerfEventKind.SysEnter, PerfConstants.TypeTracepoint, RequireId("raw_syscalls", "sys_enter"), raw, -1);
            yield return (PerfEventKind.SysExit, PerfConstants.TypeTracepoint, RequireId("raw_syscalls", "sys_exit"), raw, -1);
        }
        yield return (PerfEventKind.Switch, PerfConstants.TypeTracepoint, RequireId("sched", "sched_switch"), raw, -1);
        if (_markers is { } m)
        {
            yield return (PerfEventKind.Marker, PerfConstants.TypeTracepoint, m.Id, raw, -1);
        }
        foreach (var f in _apiCounter is null ? _api?.Functions ?? [] : [])
        {
            // Only the time and thread matter: no raw record.
            yield return (PerfEventKind.ApiEntry, PerfConstants.TypeTracepoint, f.EntryId, SampleLayout, f.Index);
            yield return (PerfEventKind.ApiReturn, PerfConstants.TypeTracepoint, f.ReturnId, SampleLayout, f.Index);
        }
        if (FaultsRecorded)
        {
            yield return (PerfEventKind.FaultMinor, PerfConstants.TypeSoftware, PerfConstants.SwPageFaultsMin, SampleLayout | PerfConstants.SampleAddr, -1);
            yield return (PerfEventKind.FaultMajor, PerfConstants.TypeSoftware, PerfConstants.SwPageFaultsMaj, SampleLayout | PerfConstants.SampleAddr, -1);
        }
    }

    private int Open(uint type, ulong config, ulong sampleType, int tid, int cpu, bool withTask, bool switchRecords, out int errno)
    {
        var attr = NewAttr(type, config, sampleType);

        if (withTask)
        {
            attr.Flags |= PerfConstants.FlagTask | PerfConstants.FlagComm;
        }
        if (switchRecords)
        {
            // The sched_switch tracepoint fires only as a traced thread leaves its CPU (its arrival runs in another
            // task's context): switch records in both directions give each thread's on-CPU time.
            attr.Flags |= PerfConstants.FlagContextSwitch;
        }
        int fd = Libc.PerfEventOpen(ref attr, tid, cpu, -1, PerfConstants.FlagFdCloexec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    private PerfEventAttr NewAttr(uint type, ulong config, ulong sampleType)
    {
        var attr = new PerfEventAttr
        {
            Type = type,
            Size = PerfEventAttr.SizeVer5,
            Config = config,
            SamplePeriod = 1,
            SampleType = sampleType,
            Flags = PerfConstants.FlagDisabled | PerfConstants.FlagInherit | PerfConstants.FlagSampleIdAll
                | PerfConstants.FlagUseClockId | PerfConstants.FlagWatermark,
            ClockId = Libc.CLOCK_MONOTONIC,
            WakeupEvents = (uint)(_bufferPages * Environment.SystemPageSize / 4),
        };
        if (_enableOnExec)
        {
            attr.Flags |= PerfConstants.FlagEnableOnExec;
        }
        return attr;
    }

    private ulong Register(int fd, PerfEventKind kind, int cpu)
    {
        _fds.Add(fd);
        ulong id = 0;
        unsafe
        {
            if (Libc.Ioctl(fd, PerfConstants.IocId, (nint)(&id)) != 0)
            {
                throw new TracerException($"PERF_EVENT_IOC_ID failed ({ErrnoNames.Name(Marshal.GetLastPInvokeError())}); this kernel is too old (Linux 3.12 or later is needed).");
            }
        }
        _kinds[id] = kind;
        if (_buffers.TryGetValue(cpu, out var buffer))
        {
            if (Libc.Ioctl(fd, PerfConstants.IocSetOutput, buffer.Fd) != 0)
            {
                // Some kernels refuse to mix a per-task event into a system-wide event's buffer: give it its own.
                _extraBuffers.Add(new PerfRingBuffer(fd, _bufferPages, cpu));
            }
        }
        else
        {
            _buffers[cpu] = new PerfRingBuffer(fd, _bufferPages, cpu);
        }
        return id;
    }

    private static ulong RequireId(string system, string name) =>
        (ulong)(Tracefs.EventId(system, name) ?? throw new TracerException($"The tracepoint {system}:{name} is missing from tracefs. Fix: {Tracefs.MountFix}; the kernel needs CONFIG_FTRACE_SYSCALLS."));

    internal static TracerException OpenFailure(string what, int errno)
    {
        string fix = errno switch
        {
            Errno.EACCES or Errno.EPERM => $"perf_event_open was refused (kernel.perf_event_paranoid is {PerfEventSource.Paranoid()}). Fix: run as root, grant CAP_PERFMON, or sysctl -w kernel.perf_event_paranoid=-1",
            Errno.EMFILE => "the process ran out of file descriptors. Fix: ulimit -n 65536",
            Errno.ENOENT => $"the tracepoint does not exist. Fix: {Tracefs.MountFix}",
            _ => "see perf_event_open(2)",
        };
        return new TracerException($"perf_event_open({what}) failed with {ErrnoNames.Name(errno)}: {fix}.");
    }

    // Closing the last event on a tracepoint unregisters its probe, and the kernel waits for an RCU grace period
    // (tens of ms) each time; a capture holds an event per thread, CPU and tracepoint. The closes run side by side,
    // where concurrent waiters share grace periods.
    private static void CloseAll(List<int> fds)
    {
        int workers = Math.Clamp(fds.Count / 4, 1, 96);
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            for (int i = w; i < fds.Count; i += workers)
            {
                Libc.Close(fds[i]);
            }
        }, 64 * 1024) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    /// <summary>
    /// Closes every event and buffer, then removes the uprobes this capture defined (markers and API probes), before it
    /// returns. Runs once, whether the owner calls it or the process is exiting.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _stopReader = true;
        if (_reader is { } reader && reader != Thread.CurrentThread)
        {
            reader.Join();
        }
        // Under the drain gate: a control thread still draining (at process exit) must not read an unmapped buffer.
        lock (_drainGate)
        {
            _disposed = true;
            _bpf?.Dispose();
            _bpf = null;
            _records?.Dispose();
            _records = null;
            _phases?.Dispose();
            _phases = null;
            _apiCounter?.Dispose();
            _apiCounter = null;
            foreach (var buffer in _buffers.Values.Concat(_extraBuffers))
            {
                buffer.Dispose();
            }
            _buffers.Clear();
            _extraBuffers.Clear();
        }
        CloseAll(_fds);
        _fds.Clear();
        CloseAll(_anchorFds);
        _anchorFds.Clear();
        CloseAll(_apiEventFds);
        _apiEventFds.Clear();
        // Only now: the kernel refuses to remove a probe while a perf event is open on it.
        _api?.Dispose();
        _markers?.Dispose();
    }
}
