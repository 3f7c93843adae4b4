namespace GpuOsSpec.Capture;

/// <summary>
/// A trace inside a test, with named phases. Stop it (or dispose it) to get the <see cref="Tracing.Model.Trace"/>; the
/// trace is saved as JSON and Perfetto under the results folder and joins the run's spec results. An exception
/// inside a phase still stops the trace and saves it, so the failure message can point at it.
/// </summary>
public sealed class TraceScope : IDisposable
{
    private readonly IDisposable _gate;
    private readonly TraceSession _session;
    private Trace? _trace;

    private readonly string _artifactName;

    internal TraceScope(string spec, string artifactName, CaptureOptions options)
    {
        Spec = spec;
        _artifactName = artifactName;
        _gate = TraceGate.Enter();
        try
        {
            _session = TraceSession.Start(options);
        }
        catch
        {
            _gate.Dispose();
            throw;
        }
    }

    /// <summary>The spec's name, used for artifact files and the spec results.</summary>
    public string Spec { get; }

    /// <summary>The capture source in use.</summary>
    public CaptureSourceKind Source => _session.Source;

    /// <summary>Where the stopped trace was saved (SPEC.trace.json, SPEC.perfetto.json), or null while it
    /// runs.</summary>
    public TraceArtifacts? Artifacts { get; private set; }

    /// <summary>The trace, once stopped.</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="Stop"/>.</exception>
    public Trace Trace => _trace ?? throw new InvalidOperationException("The trace scope is still running; call Stop() first.");

    /// <summary>Opens a named phase on the calling thread; dispose it to close it.</summary>
    public PhaseScope Phase(string name) => _session.Phase(name);

    /// <summary>Runs <paramref name="body"/> inside a phase.</summary>
    public void Phase(string name, Action body)
    {
        using (_session.Phase(name))
        {
            body();
        }
    }

    /// <summary>Stops tracing, saves the trace and returns it. Later calls return the same trace.</summary>
    public Trace Stop()
    {
        if (_trace is not null)
        {
            return _trace;
        }
        try
        {
            _trace = _session.Stop();
            Artifacts = ResultsFolder.Save(_artifactName, _trace);
            SpecResultsRecorder.Record(Spec, _trace);
        }
        finally
        {
            _session.Dispose();
            _gate.Dispose();
        }
        return _trace;
    }

    /// <summary>Stops the trace if it still runs.</summary>
    public void Dispose()
    {
        if (_trace is null)
        {
            Stop();
        }
    }
}
