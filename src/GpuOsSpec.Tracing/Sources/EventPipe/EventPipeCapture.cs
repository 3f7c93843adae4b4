using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace GpuOsSpec.Tracing.Sources.EventPipe;

/// <summary>An EventPipe session on a .NET process, turned into <see cref="RuntimeEvent"/>s on
/// CLOCK_MONOTONIC.</summary>
internal sealed class EventPipeCapture : IRuntimeEventCapture
{
    private const long Keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.Jit
        | ClrTraceEventParser.Keywords.Contention | ClrTraceEventParser.Keywords.Exception | ClrTraceEventParser.Keywords.Threading);

    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Thread _thread;
    private readonly List<RuntimeEvent> _events = [];
    private readonly ManualResetEventSlim _ready = new();

    internal EventPipeCapture(int pid)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[] { new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, Keywords) };
        _session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 256);
        _source = new EventPipeEventSource(_session.EventStream);
        _source.Clr.GCStart += e => Add(e, RuntimeEventKind.GarbageCollection, $"gen {e.Depth}, {e.Reason}");
        _source.Clr.MethodJittingStarted += e => Add(e, RuntimeEventKind.Jit, $"{e.MethodNamespace}.{e.MethodName}");
        _source.Clr.ThreadPoolWorkerThreadAdjustmentAdjustment += e => Add(e, RuntimeEventKind.ThreadPool, $"new worker count {e.NewWorkerThreadCount}, {e.Reason}");
        _source.Clr.ThreadPoolWorkerThreadStart += e => Add(e, RuntimeEventKind.ThreadPool, $"worker started ({e.ActiveWorkerThreadCount} active)");
        _source.Clr.ContentionStart += e => Add(e, RuntimeEventKind.Contention, e.ContentionFlags.ToString());
        _source.Clr.ExceptionStart += e => Add(e, RuntimeEventKind.Exception, $"{e.ExceptionType}: {e.ExceptionMessage}");
        _thread = new Thread(() =>
        {
            Tid = Libc.CurrentTid;
            _ready.Set();
            try
            {
                _source.Process();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or EndOfStreamException)
            {
                Failure = ex.Message;
            }
        })
        { IsBackground = true, Name = "gpuosspec-eventpipe" };
    }

    /// <summary>Why processing stopped early, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>The processing thread's tid, known once started.</summary>
    public int Tid { get; private set; }

    internal void Start()
    {
        _thread.Start();
        _ready.Wait();
    }

    /// <summary>Stops the session and returns the events and the count EventPipe dropped.</summary>
    public (IReadOnlyList<RuntimeEvent> Events, long Lost) Stop()
    {
        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException)
        {
            Failure ??= ex.Message;
        }
        _thread.Join(TimeSpan.FromSeconds(10));
        lock (_events)
        {
            return (_events.ToList(), _source.EventsLost);
        }
    }

    private void Add(TraceEvent e, RuntimeEventKind kind, string detail)
    {
        // EventPipe stamps events with the runtime's QueryPerformanceCounter, which on Linux is CLOCK_MONOTONIC: the
        // clock perf and the phases use. Converting through TimeStamp (a DateTime) would shift events by milliseconds.
#pragma warning disable CS0618 // TimeStampQPC is "discouraged", but it is the one stamp on the kernel's clock.
        long ns = System.Diagnostics.Stopwatch.Frequency == 1_000_000_000
            ? e.TimeStampQPC
            : (long)(e.TimeStampQPC * (1e9 / System.Diagnostics.Stopwatch.Frequency));
#pragma warning restore CS0618
        lock (_events)
        {
            _events.Add(new RuntimeEvent(ns, e.ThreadID, kind, e.EventName, detail));
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _session.Dispose();
        _ready.Dispose();
    }
}
