namespace GpuOsSpec.Threads;

/// <summary>
/// Traced scopes in one process never overlap: an in-process capture sees every thread, so two at once would each see
/// the other's work. Scopes wait for each other here; untraced tests keep running in parallel, and their threads are
/// not the scope's workload threads, so they are not attributed to it.
/// </summary>
/// <remarks>
/// The vendor calls that start or end a fixture's runtime threads (context creation and warm-up, disposal) wait here
/// too (<see cref="EnterUnlessHeld"/>), so no trace sees a context of another class being made or torn down, and its
/// threads are known, with their owner, before any trace that can see them starts.
/// </remarks>
internal static class TraceGate
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    // The holder on this flow: a spec's own vendor call inside its trace must not wait for the trace to end.
    private static readonly AsyncLocal<Holder?> s_holder = new();
    private static int s_waiting;

    /// <summary>How many flows wait for the gate now.</summary>
    internal static int Waiting => Volatile.Read(ref s_waiting);

    /// <summary>Waits for the gate and holds it until the result is disposed.</summary>
    internal static IDisposable Enter()
    {
        Interlocked.Increment(ref s_waiting);
        try
        {
            s_gate.Wait();
        }
        finally
        {
            Interlocked.Decrement(ref s_waiting);
        }
        var holder = new Holder();
        s_holder.Value = holder;
        return holder;
    }

    /// <summary>
    /// As <see cref="Enter"/>, unless this flow holds the gate already: a vendor call a spec makes inside its own trace
    /// is the trace's, and waiting for that trace would never end.
    /// </summary>
    internal static IDisposable EnterUnlessHeld() => s_holder.Value is { Released: false } ? Holder.Passed : Enter();

    private sealed class Holder(bool holds = true) : IDisposable
    {
        // What a flow that holds the gate already gets: nothing to release.
        internal static readonly Holder Passed = new(holds: false);

        private int _released;

        internal bool Released => Volatile.Read(ref _released) != 0;

        public void Dispose()
        {
            if (holds && Interlocked.Exchange(ref _released, 1) == 0)
            {
                s_gate.Release();
            }
        }
    }
}
