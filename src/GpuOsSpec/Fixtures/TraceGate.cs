namespace GpuOsSpec.Fixtures;

/// <summary>
/// Traced scopes in one process never overlap: an in-process capture sees every thread, so two at once would each see
/// the other's work. Scopes wait for each other here; untraced tests keep running in parallel, and their threads are
/// not the scope's workload threads, so they are not attributed to it.
/// </summary>
internal static class TraceGate
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    internal static IDisposable Enter()
    {
        s_gate.Wait();
        return new Releaser();
    }

    private sealed class Releaser : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                s_gate.Release();
            }
        }
    }
}
