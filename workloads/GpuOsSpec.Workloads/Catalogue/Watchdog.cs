namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>
/// Ends the process when a run outlives its timeout, so a hung kernel cannot hang it forever. Start it before tracing:
/// its thread sleeps in one timed wait and makes no other syscall.
/// </summary>
public sealed class Watchdog : IDisposable
{
    /// <summary>The exit code of a run the watchdog ended (as timeout(1) uses).</summary>
    public const int TimedOutExitCode = 124;

    private readonly ManualResetEventSlim _done = new();
    private readonly Thread _thread;

    private Watchdog(TimeSpan timeout, Func<string> describe, Action<string> report, Action expire)
    {
        _thread = new Thread(() =>
        {
            if (!_done.Wait(timeout))
            {
                report($"gpuosspec: timed out after {timeout.TotalSeconds:F0} s: {describe()}. A kernel may hang or the device is stuck; raise --timeout if the run is just long.");
                expire();
            }
        })
        { IsBackground = true, Name = "gpuosspec-watch" };
        _thread.Start();
    }

    /// <summary>Starts watching.</summary>
    /// <param name="timeout">How long the run may take.</param>
    /// <param name="describe">Says what was running (workload,
    /// backend, phase) when time ran out.</param>
    /// <param name="report">Where the message goes (stderr by
    /// default).</param>
    /// <param name="expire">What ends the run (by default: exit the process with
    /// <see cref="TimedOutExitCode"/>).</param>
    public static Watchdog Start(TimeSpan timeout, Func<string> describe, Action<string>? report = null, Action? expire = null) =>
        new(timeout, describe, report ?? Console.Error.WriteLine, expire ?? (() => Environment.Exit(TimedOutExitCode)));

    /// <summary>Stops watching: the run finished in time.</summary>
    public void Dispose()
    {
        _done.Set();
        _thread.Join();
        _done.Dispose();
    }
}
