using System.Collections.Concurrent;

namespace GpuOsSpec.Tracing.Sessions;

/// <summary>
/// Traces this process, every thread of it, including threads created while it runs, with named phases.
/// </summary>
/// <remarks>
/// The capture source's backend records; this session keeps the phases, the positive controls, the optional EventPipe
/// session and the /proc counters. Phase boundaries read CLOCK_MONOTONIC through the vDSO; the only syscall they make
/// is the positive control, outside the phase and removed from every figure.
/// </remarks>
public sealed class TraceSession : IDisposable
{
    private readonly CaptureOptions _options;
    private readonly List<string> _notes = [];
    private readonly ConcurrentDictionary<int, Stack<string>> _stacks = new();
    private readonly List<(string Name, string Path, long StartNs, long EndNs, int Tid)> _phases = new(256);
    private readonly object _phaseGate = new();
    private readonly HashSet<int> _workloadTids = [];
    private readonly HashSet<int> _tracerTids = [];
    private readonly Dictionary<int, TaskSnapshot> _before;
    private readonly ICaptureBackend _backend;
    private readonly IRuntimeEventCapture? _eventPipe;
    private int _controls;
    private long _startNs;
    private Trace? _trace;

    private TraceSession(CaptureOptions options)
    {
        options.Validate();
        _options = options;
        Source = SourceSelector.Choose(options.Source, _notes);
        _workloadTids.Add(Libc.CurrentTid);
        Warm();
        if (options.DotNetRuntimeEvents)
        {
            var check = SourceSelector.RuntimeEvents.Check();
            if (check.Available)
            {
                _eventPipe = SourceSelector.RuntimeEvents.Start();
                _tracerTids.Add(_eventPipe.Tid);
            }
            else
            {
                _notes.Add(check.ToString());
            }
        }
        _before = TaskSnapshot.ReadAll(Environment.ProcessId);
        _backend = SourceSelector.CreateBackend(Source, options);
        try
        {
            _tracerTids.UnionWith(_backend.StartInProcess(_tracerTids));
        }
        catch
        {
            _backend.Dispose();
            _eventPipe?.Dispose();
            throw;
        }
        _startNs = Clock.NowNs();
        EmitControl();
    }

    /// <summary>The source that records syscalls.</summary>
    public CaptureSourceKind Source { get; }

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
        if (Source != CaptureSourceKind.Proc)
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
        long endNs = Clock.NowNs();
        var capture = _backend.Stop();
        var after = TaskSnapshot.ReadAll(Environment.ProcessId);
        var runtime = new List<RuntimeEvent>();
        long lostRuntime = 0;
        if (_eventPipe is not null)
        {
            var (events, lost) = _eventPipe.Stop();
            runtime.AddRange(events);
            lostRuntime = lost;
            if (_eventPipe.Failure is not null)
            {
                _notes.Add($"EventPipe stopped early: {_eventPipe.Failure}");
            }
            _eventPipe.Dispose();
        }
        int open = _phases.Count(p => p.EndNs == 0);
        if (open > 0)
        {
            _notes.Add($"{open} phase(s) were still open when the session stopped and were left out.");
        }
        var names = after.Concat(_before).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => (Environment.ProcessId, g.First().Value.Name));
        // The tracer's threads may have ended by now, so no /proc snapshot lists them; the trace still names them.
        foreach (int tid in _tracerTids)
        {
            names.TryAdd(tid, (Environment.ProcessId, "gpuosspec-trace"));
        }
        _trace = TraceBuilder.From(capture, new CaptureTarget
        {
            Target = $"pid {Environment.ProcessId} (this process)",
            StartNs = _startNs,
            EndNs = endNs,
            Phases = _phases.Where(p => p.EndNs > 0).Select(p => new Phase(p.Name, p.Path, p.StartNs, p.EndNs, p.Tid)).ToList(),
            Threads = names,
            WorkloadTids = _workloadTids,
            TracerTids = _tracerTids,
            RuntimeTids = Union(_options.KnownRuntimeTids, _options.RuntimeThreads?.RuntimeTids()),
            ForeignRuntimeTids = Union(_options.ForeignRuntimeTids, _options.RuntimeThreads?.ForeignRuntimeTids()),
            SharedProcess = true,
            FallbackOrigin = ThreadOrigin.None,
            RuntimeEvents = runtime,
            RuntimeRecorded = _eventPipe is not null,
            LostRuntime = lostRuntime,
            ThreadCounters = Counters(after),
            ControlsMade = _controls,
            Notes = _notes,
        });
        _backend.Dispose();
        return _trace;
    }

    private static IReadOnlySet<int>? Union(IReadOnlySet<int>? given, IReadOnlySet<int>? asked) =>
        given is null ? asked : asked is null ? given : given.Union(asked).ToHashSet();

    private List<ThreadCounters> Counters(Dictionary<int, TaskSnapshot> after) => after.Values.Select(a =>
    {
        var b = _before.GetValueOrDefault(a.Tid);
        return new ThreadCounters(a.Tid, a.Voluntary - (b?.Voluntary ?? 0), a.Involuntary - (b?.Involuntary ?? 0),
            a.MinorFaults - (b?.MinorFaults ?? 0), a.MajorFaults - (b?.MajorFaults ?? 0));
    }).ToList();

    // JIT the phase paths (flat and nested) and the control call before the capture window opens, so the first real
    // phase pays no JIT syscalls (W^X makes every JIT compilation an mprotect).
    private void Warm()
    {
        _ = Clock.NowNs();
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
        _backend.Dispose();
    }
}
