namespace GpuOsSpec.Tracing.Sessions;

/// <summary>An open phase; disposing it closes the phase. Taking and closing a phase makes no syscall.</summary>
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
