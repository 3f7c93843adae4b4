using System.Diagnostics;
using GpuOs;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Workloads.Backends.GpuOs;

namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>
/// What a workload gets while it runs: its settings, contexts it creates (torn down even when it fails), named phases
/// (forwarded to whoever traces), operation counts, self-checks and a progress figure. Nothing here makes a syscall
/// inside a phase: progress is a number another thread may read, not output.
/// </summary>
public sealed class WorkloadRun : IDisposable
{
    private readonly Func<string, IDisposable>? _phaseSink;
    private readonly List<IGpuContext> _contexts = [];
    private readonly List<PhaseResult> _phases = [];
    private readonly List<WorkloadCheck> _checks = [];
    private readonly Stack<(string Path, long Start, Dictionary<string, long> Ops, IDisposable? Sink)> _open = new();
    private long _progressDone;
    private long _progressTotal = 1;

    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private string? _phaseAtLastThrow;

    internal WorkloadRun(IGpuBackend backend, WorkloadSettings settings, Func<string, IDisposable>? phaseSink, CancellationToken cancel, int deviceIndex = 0,
        ExecutionPath execution = ExecutionPath.Native)
    {
        if (execution == ExecutionPath.GpuOs && !GpuOsLibrary.Available)
        {
            throw new NotSupportedException($"The gpuos variant needs libgpuos: {GpuOsLibrary.UnavailableReason}.");
        }
        Execution = execution;
        DeviceIndex = deviceIndex;
        Backend = backend;
        Settings = settings;
        _phaseSink = phaseSink;
        Cancellation = cancel;
        // An exception closes its phase on the way out (using blocks), so note the phase when it is thrown.
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
    }

    /// <summary>The phase that was open when the run's thread last threw, or null.</summary>
    internal string? PhaseAtLastThrow => _phaseAtLastThrow;

    private void OnFirstChance(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
    {
        if (Environment.CurrentManagedThreadId == _threadId && _open.Count > 0)
        {
            _phaseAtLastThrow = _open.Peek().Path;
        }
    }

    /// <summary>Native, or through gpuos.</summary>
    public ExecutionPath Execution { get; }

    /// <summary>The backend's device to run on.</summary>
    public int DeviceIndex { get; }

    /// <summary>The backend to run on.</summary>
    public IGpuBackend Backend { get; }

    /// <summary>The resolved parameters.</summary>
    public WorkloadSettings Settings { get; }

    /// <summary>Cancelled when the run should stop early.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The phase now open (innermost), or null.</summary>
    public string? CurrentPhase => _open.Count > 0 ? _open.Peek().Path : null;

    /// <summary>Fraction of the steady work done, 0 to 1, for a progress display on another thread.</summary>
    public double Progress => Math.Clamp((double)Volatile.Read(ref _progressDone) / Volatile.Read(ref _progressTotal), 0, 1);

    internal IReadOnlyList<PhaseResult> Phases => _phases;

    internal IReadOnlyList<WorkloadCheck> Checks => _checks;

    internal string? Device => _contexts.FirstOrDefault()?.Device.Name;

    /// <summary>Creates a context on the run's backend; the run disposes it at the end, failure or not.</summary>
    public IGpuContext CreateContext(SyncMode? mode = null)
    {
        var context = Backend.CreateContext(new ContextOptions(mode ?? Settings.Sync, DeviceIndex));
        if (Execution == ExecutionPath.GpuOs)
        {
            context = new GpuOsContext(context);
        }
        _contexts.Add(context);
        return context;
    }

    /// <summary>Opens a phase; phases nest ("steady/100us").</summary>
    public IDisposable Phase(string name)
    {
        string path = _open.Count == 0 ? name : _open.Peek().Path + "/" + name;
        var sink = _phaseSink?.Invoke(name);
        if (Execution == ExecutionPath.GpuOs)
        {
            // Opened inside the trace phase and closed before it, so its markers belong to the phase they mark.
            sink = new Both(sink, GpuOsLibrary.Phase(name));
        }
        _open.Push((path, Stopwatch.GetTimestamp(), new Dictionary<string, long>(StringComparer.Ordinal), sink));
        return new PhaseCloser(this);
    }

    /// <summary>Counts <paramref name="count"/> operations of <paramref name="kind"/> in every open phase.</summary>
    public void Count(string kind, long count = 1)
    {
        foreach (var (_, _, ops, _) in _open)
        {
            ops[kind] = ops.GetValueOrDefault(kind) + count;
        }
    }

    /// <summary>Records a self-check.</summary>
    public void Check(string name, bool passed, string detail) => _checks.Add(new WorkloadCheck(name, passed, detail));

    /// <summary>Sets the progress figure: <paramref name="done"/> of <paramref name="total"/>.</summary>
    public void ReportProgress(long done, long total)
    {
        Volatile.Write(ref _progressTotal, Math.Max(1, total));
        Volatile.Write(ref _progressDone, done);
    }

    /// <summary>Runs a vector add of <paramref name="n"/> floats and checks it against the CPU.</summary>
    public void VerifyVectorAdd(IGpuContext context, int n = 4096)
    {
        var a = new float[n];
        var b = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = i * 0.5f;
            b[i] = 1000 - i;
        }
        using var da = context.Allocate(n * 4L, MemoryKind.Device);
        using var db = context.Allocate(n * 4L, MemoryKind.Device);
        using var dc = context.Allocate(n * 4L, MemoryKind.Device);
        var stream = context.DefaultStream;
        stream.CopyToDevice(da, System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        stream.CopyToDevice(db, System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.AsSpan()));
        stream.Launch(context.Kernels.VectorAdd, LaunchShape.Cover(n), KernelArgument.Of(da), KernelArgument.Of(db), KernelArgument.Of(dc), KernelArgument.Of((uint)n));
        stream.Synchronize();
        var c = new float[n];
        stream.CopyToHost(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.AsSpan()), dc);
        int wrong = 0;
        int first = -1;
        for (int i = 0; i < n; i++)
        {
            if (c[i] != a[i] + b[i])
            {
                wrong++;
                first = first < 0 ? i : first;
            }
        }
        Check("vector add matches the CPU", wrong == 0,
            wrong == 0 ? $"{n} floats" : $"{wrong} of {n} wrong; first at {first}: {c[first]} instead of {a[first] + b[first]}");
    }

    private void ClosePhase()
    {
        var (path, start, ops, sink) = _open.Pop();
        sink?.Dispose();
        long ns = (long)((Stopwatch.GetTimestamp() - start) * (1e9 / Stopwatch.Frequency));
        _phases.Add(new PhaseResult(path, ns, ops));
    }

    /// <summary>Closes open phases and disposes every context.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
        while (_open.Count > 0)
        {
            ClosePhase();
        }
        for (int i = _contexts.Count - 1; i >= 0; i--)
        {
            _contexts[i].Dispose();
        }
        _contexts.Clear();
    }

    private sealed class Both(IDisposable? outer, GpuOsLibrary.PhaseScope inner) : IDisposable
    {
        public void Dispose()
        {
            inner.Dispose();
            outer?.Dispose();
        }
    }

    private sealed class PhaseCloser(WorkloadRun run) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (!_closed)
            {
                _closed = true;
                run.ClosePhase();
            }
        }
    }
}
