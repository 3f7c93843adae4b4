using System.Collections.Concurrent;
using GpuOsSpec.Tracing.Analysis;
using GpuOsSpec.Tracing.Capture;
using GpuOsSpec.Tracing.Capture.EventPipe;
using GpuOsSpec.Tracing.Capture.PerfEvents;
using GpuOsSpec.Tracing.Capture.ProcFs;
using GpuOsSpec.Tracing.Capture.Strace;
using GpuOsSpec.Tracing.Interop;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Targets;

/// <summary>
/// Traces this process, every thread of it, including threads created while it runs, with named phases.
/// </summary>
/// <remarks>
/// With perf, one control thread opens the events on every other thread (with inherit, so new threads are covered),
/// enables them and drains the ring buffers; it is never traced itself, so the tracer's own syscalls never land in a
/// phase. Phase boundaries read CLOCK_MONOTONIC through the vDSO and make no syscall.
/// </remarks>
public sealed class TraceSession : IDisposable
{
    private readonly CaptureOptions _options;
    private readonly CaptureSourceKind _source;
    private readonly List<string> _notes;
    private readonly ConcurrentDictionary<int, Stack<string>> _stacks = new();
    private readonly List<(string Name, string Path, long StartNs, long EndNs, int Tid)> _phases = new(256);
    private readonly object _phaseGate = new();
    private readonly HashSet<int> _workloadTids = [];
    private readonly HashSet<int> _tracerTids = [];
    private readonly Dictionary<int, TaskSnapshot> _before;
    private readonly long _realtimeOffset;
    private readonly PerfCapture? _perf;
    private readonly Thread? _control;
    private readonly ManualResetEventSlim _ready = new();
    private readonly ManualResetEventSlim _stopRequested = new();
    private readonly ManualResetEventSlim _stopped = new();
    private readonly EventPipeCapture? _eventPipe;
    private readonly System.Diagnostics.Process? _strace;
    private readonly string? _straceOutput;
    private Exception? _controlFailure;
    private int _controls;
    private long _startNs;
    private long _endNs;
    private Trace? _trace;

    private TraceSession(CaptureOptions options)
    {
        options.Validate();
        _options = options;
        _notes = [];
        _source = SourceSelector.Choose(options.Source, _notes);
        _realtimeOffset = Clock.RealtimeToMonotonicNs();
        _workloadTids.Add(Libc.CurrentTid);
        Warm();

        if (options.DotNetRuntimeEvents)
        {
            var check = new EventPipeSource().Check();
            if (check.Available)
            {
                _eventPipe = new EventPipeCapture(Environment.ProcessId);
                _eventPipe.Start();
            }
            else
            {
                _notes.Add(check.ToString());
            }
        }
        _before = TaskSnapshot.ReadAll(Environment.ProcessId);

        switch (_source)
        {
            case CaptureSourceKind.Perf:
                if (options.Mode == PerfMode.Hybrid)
                {
                    _notes.Add("hybrid mode counts a child process tree; in-process sessions record every syscall per event (full mode), since phases need timestamps.");
                }
                _perf = new PerfCapture(PerfMode.Full, options.EffectiveBufferPages(PerfMode.Full, inProcess: true), options.RecordPageFaults, enableOnExec: false);
                _control = new Thread(ControlLoop) { IsBackground = true, Name = "gpuosspec-trace" };
                _control.Start();
                _ready.Wait();
                if (_controlFailure is not null)
                {
                    _perf.Dispose();
                    throw new TracerException($"perf capture failed to start: {_controlFailure.Message}", _controlFailure);
                }
                EmitControl();
                break;
            case CaptureSourceKind.Strace:
                _straceOutput = Path.Combine(Path.GetTempPath(), $"gpuosspec-strace-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
                _strace = StraceCapture.Attach(_straceOutput, Environment.ProcessId);
                _startNs = Clock.NowNs();
                EmitControl();
                break;
            default:
                _notes.Add("No syscall source is permitted: only /proc counters are taken. Syscall figures are absent (n/a), not zero.");
                _startNs = Clock.NowNs();
                break;
        }
    }

    /// <summary>The source that records syscalls.</summary>
    public CaptureSourceKind Source => _source;

    /// <summary>Starts tracing this process.</summary>
    /// <exception cref="TracerException">When the requested source cannot run; the message has the fix.</exception>
    public static TraceSession Start(CaptureOptions? options = null) => new(options ?? new CaptureOptions());

    /// <summary>Opens a named phase on the calling thread. Phases nest; dispose the scope to close it.</summary>
    /// <exception cref="ArgumentException">When the name is empty or contains '/'.</exception>
    /// <exception cref="InvalidOperationException">When the session has stopped.</exception>
    public PhaseScope Phase(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/'))
        {
            throw new ArgumentException($"A phase name must be non-empty and free of '/', not \"{name}\".", nameof(name));
        }
        if (_trace is not null)
        {
            throw new InvalidOperationException("The trace session has stopped; start a new one to open phases.");
        }
        int tid = Libc.CurrentTid;
        // The stack holds paths, so a nested phase's path is one concatenation: no LINQ to JIT inside a phase.
        var stack = _stacks.GetOrAdd(tid, _ => new Stack<string>(8));
        string path = stack.Count == 0 ? name : stack.Peek() + "/" + name;
        stack.Push(path);
        int slot;
        lock (_phaseGate)
        {
            _workloadTids.Add(tid);
            slot = _phases.Count;
            _phases.Add((name, path, 0, 0, tid));
        }
        // The control call comes before the start stamp and after the end stamp, so it is never inside the phase.
        EmitControl();
        long now = Clock.NowNs();
        lock (_phaseGate)
        {
            _phases[slot] = _phases[slot] with { StartNs = now };
        }
        return new PhaseScope(this, slot);
    }

    internal void EndPhase(int slot)
    {
        long now = Clock.NowNs();
        lock (_phaseGate)
        {
            var p = _phases[slot];
            _phases[slot] = p with { EndNs = now };
            if (_stacks.TryGetValue(p.Tid, out var stack) && stack.Count > 0)
            {
                stack.Pop();
            }
        }
        EmitControl();
    }

    // A known syscall on this (traced) thread that the capture must record; see ControlSyscall.
    private void EmitControl()
    {
        if (_source != CaptureSourceKind.Proc)
        {
            ControlSyscall.Emit(Interlocked.Increment(ref _controls));
        }
    }

    /// <summary>Stops tracing and returns the trace. Calling it again returns the same trace.</summary>
    public Trace Stop()
    {
        if (_trace is not null)
        {
            return _trace;
        }
        EmitControl();
        _endNs = Clock.NowNs();
        var collected = new List<RuntimeEvent>();
        long lostRuntime = 0;
        if (_perf is not null)
        {
            _stopRequested.Set();
            _stopped.Wait();
        }
        if (_strace is not null)
        {
            Libc.Kill(_strace.Id, Libc.SIGINT);
            _strace.WaitForExit(10_000);
        }
        var after = TaskSnapshot.ReadAll(Environment.ProcessId);
        if (_eventPipe is not null)
        {
            var (events, lost) = _eventPipe.Stop();
            collected.AddRange(events);
            lostRuntime = lost;
            if (_eventPipe.Failure is not null)
            {
                _notes.Add($"EventPipe stopped early: {_eventPipe.Failure}");
            }
            _eventPipe.Dispose();
        }
        _trace = Build(after, collected, lostRuntime);
        _perf?.Dispose();
        return _trace;
    }

    private Trace Build(Dictionary<int, TaskSnapshot> after, List<RuntimeEvent> runtime, long lostRuntime)
    {
        var phases = _phases.Where(p => p.EndNs > 0).Select(p => new Phase(p.Name, p.Path, p.StartNs, p.EndNs, p.Tid)).ToList();
        var open = _phases.Count(p => p.EndNs == 0);
        if (open > 0)
        {
            _notes.Add($"{open} phase(s) were still open when the session stopped and were left out.");
        }
        var counters = after.Values.Select(a =>
        {
            var b = _before.GetValueOrDefault(a.Tid);
            return new ThreadCounters(a.Tid, a.Voluntary - (b?.Voluntary ?? 0), a.Involuntary - (b?.Involuntary ?? 0),
                a.MinorFaults - (b?.MinorFaults ?? 0), a.MajorFaults - (b?.MajorFaults ?? 0));
        }).ToList();
        var names = after.Concat(_before).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => (Environment.ProcessId, g.First().Value.Name));
        var tracer = new HashSet<int>(_tracerTids);
        if (_eventPipe is not null)
        {
            tracer.Add(_eventPipe.Tid);
        }
        // The perf control thread has ended by now, so no /proc snapshot lists it; the trace still names it.
        foreach (int tid in tracer)
        {
            names.TryAdd(tid, (Environment.ProcessId, "gpuosspec-trace"));
        }
        var counted = counters.Where(c => !tracer.Contains(c.Tid)).ToList();
        Measurement Sum(Func<ThreadCounters, long> f) => new(counted.Sum(f), "proc");
        string target = $"pid {Environment.ProcessId} (this process)";
        if (_perf is not null)
        {
            var c = _perf.Collector;
            foreach (var (tid, info) in c.Names)
            {
                names[tid] = info;
            }
            return new TraceBuilder
            {
                Source = "perf",
                Mode = "full",
                Target = target,
                StartNs = _startNs,
                EndNs = _endNs,
                Syscalls = c.Syscalls,
                OrphanEnters = c.OrphanEnters,
                OrphanExits = c.OrphanExits,
                Fds = _perf.Fds,
                Threads = names,
                Forks = c.Forks,
                TracerTids = tracer,
                WorkloadTids = _workloadTids,
                RuntimeTids = _options.KnownRuntimeTids,
                FallbackOrigin = ThreadOrigin.None,
                Phases = phases,
                Switches = c.Switches,
                SwitchesRecorded = true,
                Faults = c.Faults,
                FaultsRecorded = _options.RecordPageFaults,
                MinorFaults = _options.RecordPageFaults ? null : Sum(x => x.MinorFaults),
                MajorFaults = _options.RecordPageFaults ? null : Sum(x => x.MajorFaults),
                RuntimeEvents = runtime,
                RuntimeRecorded = _eventPipe is not null,
                ThreadCounters = counters,
                Lost = c.Lost,
                UnreportedLoss = _perf.UnreportedLoss(),
                ControlExpected = _controls,
                ControlWhat = ControlSyscall.Description,
                LostRuntime = lostRuntime,
                Incomplete = _controlFailure is not null,
                IncompleteReason = _controlFailure?.Message,
                Notes = _notes,
            }.Build();
        }
        if (_strace is not null)
        {
            var parsed = new StraceCapture();
            parsed.ReadFile(_straceOutput!, Environment.ProcessId, _realtimeOffset, _startNs, _endNs);
            File.Delete(_straceOutput!);
            CommandTracer.AddStraceNotes(parsed, _notes);
            return new TraceBuilder
            {
                Source = "strace",
                Mode = "strace",
                Target = target,
                StartNs = _startNs,
                EndNs = _endNs,
                Syscalls = parsed.Syscalls,
                NameOverride = parsed.NameOf,
                Fds = parsed.Fds,
                Threads = names,
                TracerTids = tracer,
                WorkloadTids = _workloadTids,
                RuntimeTids = _options.KnownRuntimeTids,
                FallbackOrigin = ThreadOrigin.None,
                Phases = phases,
                Voluntary = Sum(x => x.VoluntarySwitches),
                Involuntary = Sum(x => x.InvoluntarySwitches),
                MinorFaults = Sum(x => x.MinorFaults),
                MajorFaults = Sum(x => x.MajorFaults),
                RuntimeEvents = runtime,
                RuntimeRecorded = _eventPipe is not null,
                ThreadCounters = counters,
                LostRuntime = lostRuntime,
                ControlExpected = _controls,
                ControlWhat = ControlSyscall.Description,
                Incomplete = false,
                Notes = _notes,
            }.Build();
        }
        return new TraceBuilder
        {
            Source = "proc",
            Mode = "counters",
            Target = target,
            StartNs = _startNs,
            EndNs = _endNs,
            SyscallsMeasured = false,
            Threads = names,
            TracerTids = tracer,
            WorkloadTids = _workloadTids,
            FallbackOrigin = ThreadOrigin.None,
            Phases = phases,
            Voluntary = Sum(x => x.VoluntarySwitches),
            Involuntary = Sum(x => x.InvoluntarySwitches),
            MinorFaults = Sum(x => x.MinorFaults),
            MajorFaults = Sum(x => x.MajorFaults),
            RuntimeEvents = runtime,
            RuntimeRecorded = _eventPipe is not null,
            ThreadCounters = counters,
            LostRuntime = lostRuntime,
            Incomplete = false,
            Notes = _notes,
        }.Build();
    }

    // Runs on the control thread, which is never traced: attach, enable, drain until stopped, disable, drain.
    private void ControlLoop()
    {
        var perf = _perf!;
        int self = Libc.CurrentTid;
        lock (_phaseGate)
        {
            _tracerTids.Add(self);
        }
        try
        {
            var exclude = new HashSet<int> { self };
            if (_eventPipe is not null)
            {
                exclude.Add(_eventPipe.Tid);
            }
            // Threads may be born while we attach; repeat until a pass finds none new.
            for (int pass = 0; pass < 10; pass++)
            {
                var tids = Directory.EnumerateDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture))
                    .Where(t => !exclude.Contains(t) && !perf.AttachedTids.Contains(t)).ToList();
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
            _startNs = Clock.NowNs();
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
        perf.Collector.FlushPending();
        _stopped.Set();
    }

    // JIT the phase paths (flat and nested) before the capture window opens, so the first real phase pays no JIT
    // syscalls (W^X makes every JIT compilation an mprotect).
    private void Warm()
    {
        _ = Clock.NowNs();
        _ = Libc.MonotonicNanoseconds();
        using (Phase("warm"))
        {
            using (Phase("warm"))
            {
            }
        }
        lock (_phaseGate)
        {
            _phases.Clear();
        }
        _controls = 0;
    }

    /// <summary>Stops the capture if still running and releases every perf event, buffer and tracer process.</summary>
    public void Dispose()
    {
        if (_trace is null)
        {
            try
            {
                Stop();
            }
            catch (TracerException)
            {
            }
        }
        _perf?.Dispose();
        if (_strace is { HasExited: false })
        {
            _strace.Kill();
        }
        _strace?.Dispose();
        _ready.Dispose();
        _stopRequested.Dispose();
        _stopped.Dispose();
    }
}
