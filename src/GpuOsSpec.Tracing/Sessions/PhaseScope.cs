namespace GpuOsSpec.Tracing.Sessions;

/// <summary>
/// An open phase; disposing it closes the phase. Its boundaries read the clock through the vDSO; the one syscall
/// opening and closing make is the positive control (a getpriority), made outside the phase and left out of every
/// figure.
/// </summary>
public readonly struct PhaseScope : IDisposable
{
    private readonly TraceSession? _session;
    private readonly int _slot;

    internal PhaseScope(TraceSession session, int slot)
    {
        _session = session;
        _slot = slot;
    }

    /// <summary>Closes the phase.</summary>
    public void Dispose() => _session?.EndPhase(_slot);
}
