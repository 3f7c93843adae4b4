using System.Diagnostics;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// The perf source. In process, one control thread opens the events on every other thread (with inherit, so new
/// threads are covered), enables them and drains the buffers; it is never traced itself. For a command, a launcher
/// shell stops itself, the events are opened on it with enable-on-exec, and counting starts at the command's exec.
/// Hybrid mode needs eBPF; when the mode was not asked for and the kernel refuses eBPF, full mode still counts exactly
/// (at a higher cost), so the backend falls back and says so.
/// </summary>
internal sealed class PerfBackend(CaptureOptions options) : ICaptureBackend
{
    private readonly List<string> _notes = [];
    private readonly ManualResetEventSlim _ready = new();
    private readonly ManualResetEventSlim _stopRequested = new();
    private readonly ManualResetEventSlim _stopped = new();
    private PerfCapture? _perf;
    private PerfMode _mode;
    private Thread? _control;
    private Exception? _controlFailure;
    private ChildUsage? _usageBefore;
    private CaptureResult? _result;
    private string? _crossCheckUnavailable;

    public IReadOnlySet<int> StartInProcess(IReadOnlySet<int> exclude)
    {
        if (options.Mode == PerfMode.Hybrid)
        {
            _notes.Add("hybrid mode counts a child process tree; in-process sessions record every syscall per event (full mode), since phases need timestamps.");
        }
        if (options.CrossCheckPhases)
        {
            _crossCheckUnavailable = "the phase counter follows a child process tree; an in-process session has none (trace a command)";
        }
        _mode = PerfMode.Full;
        _perf = new PerfCapture(PerfMode.Full, options.EffectiveBufferPages(PerfMode.Full, inProcess: true), options.RecordPageFaults, enableOnExec: false, Probe(), options.ApiLibraries, options.ApiSamples,
            pairInUserSpace: options.PairSyscallsInUserSpace);
        int controlTid = 0;
        _control = new Thread(() =>
        {
            controlTid = Libc.CurrentTid;
            ControlLoop(exclude);
        })
        { IsBackground = true, Name = "gpuosspec-trace" };
        _control.Start();
        _ready.Wait();
        if (_controlFailure is not null)
        {
            _perf.Dispose();
            throw new TracerException($"perf capture failed to start: {_controlFailure.Message}", _controlFailure);
        }
        return new HashSet<int> { controlTid };
    }

    public ChildProcess StartCommand(string path, IReadOnlyList<string> arguments)
    {
        if (options.Mode is { } asked)
        {
            return Launch(path, arguments, asked);
        }
        try
        {
            return Launch(path, arguments, PerfMode.Hybrid);
        }
        catch (BpfUnavailableException ex)
        {
            _notes.Add($"hybrid mode unavailable ({ex.Message}); traced in full mode instead.");
            return Launch(path, arguments, PerfMode.Full);
        }
    }

    public IReadOnlyList<int> InterruptTargets(ChildProcess started) => [started.Id];

    private MarkerProbe? Probe() => options.GpuOsLibrary is { } library ? MarkerProbe.For(library) : null;

    public CaptureResult Stop()
    {
        if (_result is not null || _perf is null)
        {
            return _result ?? throw new InvalidOperationException("The perf backend was never started.");
        }
        // Before the last drain, so the drain holds every switch and fault from before the cut.
        long? activityCut = _perf.CutPhaseActivity();
        if (_control is not null)
        {
            _stopRequested.Set();
            _stopped.Wait();
        }
        else
        {
            _perf.StopAndDrain();
        }
        var c = _perf.Collector;
        var usage = _usageBefore is { } before ? ChildUsage.Now().Minus(before) : (ChildUsage?)null;
        bool command = _control is null;
        long missing = _mode == PerfMode.Hybrid ? CrossCheck() : 0;
        var phases = _mode == PerfMode.Hybrid ? _perf.FinishPhases() : null;
        // Full mode's cross-check: the counter's reading whole (decode set too) and its losses stay with it, so they
        // make the comparison, not the trace, inconclusive.
        bool crossCheck = _mode == PerfMode.Full && options.CrossCheckPhases;
        var crossCheckCounts = crossCheck && command ? _perf.FinishPhases() : null;
        string? crossCheckUnavailable = !crossCheck || crossCheckCounts is not null ? null
            : _crossCheckUnavailable ?? $"hybrid mode's phase counter did not run ({_perf.PhaseCounterUnavailable ?? "unknown reason"})";
        var (counterLost, counterNotes) = _perf.CounterLosses();
        _notes.AddRange(counterNotes);
        bool markersFromKernel = phases is not null && _perf.MarkersFromPhaseCounter;
        long markersMissed = 0;
        if (markersFromKernel)
        {
            if (c.Markers.Count > 0)
            {
                // The program's 0 return drops the sample, so a sample is written only for a hit the program did not
                // run for (it was taken out of the probe's program array: seen when it rode an inherited event and a
                // traced thread exited). Those markers are in no record and their phases' counts are missing: lost.
                markersMissed = c.Markers.Count;
                _notes.Add($"{markersMissed:N0} gpuos marker(s) reached perf as samples, not the phase counter's program, so the counter did not see them: their phases' figures are not exact, and they count as lost.");
                c.Markers.Clear();
            }
            // The counter's records are the markers' only reading: they join the perf records as the samples did.
            c.AddMarkers(phases!.Events.Select(e => e.ToMarker()).OfType<MarkerRecord>());
        }
        if (phases is not null)
        {
            _notes.AddRange(phases.LossNotes);
            var names = SyscallTable.Current;
            phases = phases with { Cells = phases.Cells.Where(cell => !DecodeSet.Names.Contains(names.Name(cell.Number))).ToList() };
        }
        else if (_mode == PerfMode.Hybrid && options.GpuOsLibrary is not null)
        {
            _notes.Add($"hybrid mode's phase counter did not run ({_perf.PhaseCounterUnavailable ?? "unknown reason"}): syscalls outside the decode set are counted for the whole run only, not per phase.");
        }
        if (_perf.FaultsCountedOnly)
        {
            string? uncounted = phases is null ? $"the phase counter did not run: {_perf.PhaseCounterUnavailable ?? "unknown reason"}" : phases.ActivityUnavailable;
            _notes.Add(uncounted is { } why
                ? $"page faults were left to hybrid mode's phase counter, not recorded as events, and it did not count them ({why}): no phase's or thread's faults are measured (CaptureOptions.FaultEventsWhereCounted, --fault-events, records them)."
                : "page faults were counted per thread and phase run in the kernel by hybrid mode's phase counter, not recorded as events: they have no time or address and no Perfetto instant, and API calls joined from perf samples have no faults (CaptureOptions.FaultEventsWhereCounted, --fault-events, records them).");
        }
        if (_mode == PerfMode.Hybrid)
        {
            _notes.Add($"hybrid mode: {string.Join(", ", DecodeSet.Names.Order(StringComparer.Ordinal))} are recorded per event; every other syscall is counted in the kernel by eBPF (calls and errors, no durations).");
        }
        var apiCounted = _perf.FinishApi();
        if (apiCounted is not null)
        {
            _notes.AddRange(apiCounted.Notes);
            _notes.Add("API calls are counted in the kernel (eBPF on the entry and return uprobes): each call's syscalls, context switches and page faults are summed for the thread's innermost open call, and each call is one record at its return.");
        }
        else if (_perf.Api is not null)
        {
            _notes.Add(_perf.ApiCounterUnavailable is { } why
                ? $"API calls are sampled by perf and joined by time (the in-kernel counter did not run: {why})."
                : "API calls are sampled by perf and joined by time (--api-samples).");
        }
        var (recordsLost, recordNotes) = _perf.RecordLosses();
        if (_mode == PerfMode.Full)
        {
            _notes.Add(_perf.SyscallPairing ?? "full mode: the kernel joins each syscall's entry and exit into one record (eBPF, one ring buffer for the machine).");
            _notes.AddRange(recordNotes);
        }
        var table = SyscallTable.Current;
        _result = new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = _mode == PerfMode.Full ? CaptureMode.Full : CaptureMode.Hybrid,
            Syscalls = c.Syscalls,
            OrphanEnters = c.OrphanEnters,
            OrphanExits = c.OrphanExits,
            Counters = _mode == PerfMode.Hybrid ? _perf.ReadCounters() : null,
            ProbeSyscallsCounted = _perf.RecordedProbeSyscalls(),
            Fds = _perf.Fds,
            Threads = c.Names,
            Forks = c.Forks,
            Switches = c.Switches,
            SwitchesRecorded = true,
            CpuEdges = c.CpuEdges,
            Exits = c.Exits,
            FirstSampleNs = c.FirstSampleNs,
            EventsFromExec = command,
            Faults = c.Faults,
            FaultsRecorded = _perf.FaultsRecorded,
            MinorFaults = usage is { } u1 && !_perf.FaultsRecorded ? new Measurement(u1.MinorFaults, "rusage") : null,
            MajorFaults = usage is { } u2 && !_perf.FaultsRecorded ? new Measurement(u2.MajorFaults, "rusage") : null,
            Lost = c.Lost + c.Unparsed + missing + c.UnreadMarkers + (phases?.Lost ?? 0) + (apiCounted?.Lost ?? 0) + recordsLost + counterLost + markersMissed,
            SyscallCounterLost = counterLost + markersMissed,
            ApiCounterLost = apiCounted?.Lost ?? 0,
            KernelPhases = phases,
            PhaseCrossCheckAsked = crossCheck,
            PhaseCrossCheckCounts = crossCheckCounts,
            PhaseActivityCutNs = activityCut,
            PhaseCrossCheckUnavailable = crossCheckUnavailable,
            Markers = options.GpuOsLibrary is null ? null : c.Markers,
            Execs = c.Execs,
            ApiHits = _perf.Api is null || apiCounted is not null ? null : c.ApiHits,
            KernelApiCalls = apiCounted?.Calls,
            ApiFunctions = _perf.Api?.Functions.Select(f => (f.Name, f.Library)).ToList() ?? [],
            UnreportedLoss = _perf.UnreportedLoss(),
            // Counting starts at the command's exec, so the exec's own return is the first event every capture must
            // see.
            Control = command
                ? (c.ExitsSeen.Where(e => e.Key == table.Number("execve") || e.Key == table.Number("execveat")).Sum(e => e.Value) > 0 ? 1 : 0, 1,
                    "the return of the command's execve, the first event of a capture that starts at exec")
                : null,
            Failure = _controlFailure?.Message,
            Notes = _notes,
        };
        if (_perf.Api is { } api)
        {
            _notes.AddRange(api.Notes);
        }
        if (options.GpuOsLibrary is { } lib)
        {
            string reader = markersFromKernel ? "by hybrid mode's phase counter (an eBPF program, the only reader: no perf sample is made of a marker)" : "as perf samples";
            _notes.Add($"gpuos markers: {c.Markers.Count:N0} read {reader} through an entry uprobe on gpuos_probe_marker in {lib}; a hit is a call through the uprobe syscall where Linux 6.18+ optimizes the probe's 5-byte nop (libgpuos's default on x86-64), else a breakpoint trap, and neither appears in the figures (their time does: docs/abstraction.md gives the cost per hit).");
            if (c.UnreadMarkers > 0)
            {
                _notes.Add($"{c.UnreadMarkers:N0} marker probe hit(s) carried no readable record; they are counted as lost.");
            }
        }
        if (_perf.ForeignProgramCheckFailed is { } queryFailure)
        {
            _notes.Add($"whether a foreign eBPF program dropped samples of the tracepoints this capture samples could not be checked ({queryFailure}); only the positive controls stand for them.");
        }
        if (c.Unparsed > 0)
        {
            _notes.Add($"{c.Unparsed:N0} perf record(s) came from no event this capture opened; they are counted as lost.");
        }
        return _result;
    }

    // The launcher shell stops itself so the events can be opened on it; enable-on-exec then starts counting at the
    // exec of the command itself, so none of the shell's own syscalls are seen.
    private ChildProcess Launch(string path, IReadOnlyList<string> arguments, PerfMode mode)
    {
        _mode = mode;
        _usageBefore = ChildUsage.Now();
        // With markers, the launcher also points GPUOS_LIBRARY at the probed copy, before the exec, so the command
        // loads the library the probe is on; the caller's own environment is left alone.
        var process = options.GpuOsLibrary is { } library
            ? ChildProcess.Start("/bin/sh", ["/bin/sh", "-c", "kill -STOP $$; GPUOS_LIBRARY=$1; export GPUOS_LIBRARY; shift; exec \"$0\" \"$@\"", path, library, .. arguments])
            : ChildProcess.Start("/bin/sh", ["/bin/sh", "-c", "kill -STOP $$; exec \"$0\" \"$@\"", path, .. arguments]);
        try
        {
            WaitUntilStopped(process);
            _perf = new PerfCapture(mode, options.EffectiveBufferPages(mode, inProcess: false), options.RecordPageFaults, enableOnExec: true, Probe(), options.ApiLibraries, options.ApiSamples,
                crossCheckPhases: mode == PerfMode.Full && options.CrossCheckPhases, pairInUserSpace: options.PairSyscallsInUserSpace,
                phaseEventsAtEndOnly: options.PhaseEventsReadAtEndOnly, phaseObject: options.PhaseCounterObject, faultEventsWhereCounted: options.FaultEventsWhereCounted);
            _perf.Attach(process.Id);
            // The command inherits the launcher's fds (stdin, stdout, stderr, any others): name them now.
            _perf.Fds.Snapshot(process.Id, 0);
            _perf.StartReader();
        }
        catch
        {
            _perf?.Dispose();
            _perf = null;
            process.Send(Libc.SIGKILL);
            process.Dispose();
            throw;
        }
        Libc.Kill(process.Id, Libc.SIGCONT);
        return process;
    }

    private static void WaitUntilStopped(ChildProcess process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{process.Id}/stat");
                if (stat[(stat.LastIndexOf(')') + 2)] == 'T')
                {
                    return;
                }
            }
            catch (IOException)
            {
                break;
            }
            Thread.Sleep(1);
        }
        throw new TracerException("The launcher shell did not stop itself before exec; cannot attach perf events to the command.");
    }

    // The eBPF counter sees every exit of the decode set; the per-event records must account for each one.
    private long CrossCheck()
    {
        long missing = 0;
        foreach (var (name, kernel) in _perf!.ReadDecodeSetCounts())
        {
            long seen = _perf.Collector.ExitsSeen.GetValueOrDefault(SyscallTable.Current.Number(name) ?? -1);
            if (seen < kernel)
            {
                missing += kernel - seen;
                _notes.Add($"{name}: the kernel counted {kernel:N0} calls but {seen:N0} were recorded; the difference is reported as lost.");
            }
        }
        return missing;
    }

    // Runs on the control thread, which is never traced: attach, enable, drain until stopped, disable, drain.
    private void ControlLoop(IReadOnlySet<int> exclude)
    {
        var perf = _perf!;
        try
        {
            var skip = new HashSet<int>(exclude) { Libc.CurrentTid };
            // Threads may be born while we attach; repeat until a pass finds none new.
            for (int pass = 0; pass < 10; pass++)
            {
                var tids = ProcessThreads.Of(Environment.ProcessId).Where(t => !skip.Contains(t) && !perf.AttachedTids.Contains(t)).ToList();
                if (tids.Count == 0)
                {
                    break;
                }
                foreach (int tid in tids)
                {
                    perf.Attach(tid);
                }
            }
            perf.Fds.Snapshot(Environment.ProcessId, 0);
            perf.Enable();
        }
        catch (Exception ex)
        {
            _controlFailure = ex;
            _ready.Set();
            _stopped.Set();
            return;
        }
        _ready.Set();
        while (!_stopRequested.Wait(10))
        {
            perf.DrainAll();
        }
        perf.Disable();
        perf.DrainAll();
        perf.FinishSyscalls();
        _stopped.Set();
    }

    public void Dispose()
    {
        if (_perf is not null && _control is not null && !_stopped.IsSet)
        {
            _stopRequested.Set();
            _stopped.Wait();
        }
        _perf?.Dispose();
        _perf = null;
    }
}
