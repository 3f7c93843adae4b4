using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Cli.Runs;

/// <summary>Runs a workload inside a trace session, each workload phase a trace phase, with a watchdog and
/// progress.</summary>
internal static class TracedRun
{
    internal sealed record Outcome(WorkloadResult Result, Trace Trace);

    internal static Outcome Execute(IWorkload workload, IGpuBackend backend, WorkloadSettings settings, CaptureOptions options, TimeSpan timeout, bool progress, int deviceIndex = 0,
        ExecutionPath execution = ExecutionPath.Native)
    {
        WorkloadRun? current = null;
        // Both helper threads start before tracing: they are never counted as the workload's.
        using var watchdog = Watchdog.Start(timeout, () => $"{workload.Name} on {backend.Name} was in phase {current?.CurrentPhase ?? "(none)"}");
        using var display = progress ? new ProgressDisplay(() => current) : null;
        using var session = TraceSession.Start(options);
        var result = WorkloadRunner.Run(workload, backend, settings, name => session.Phase(name), run => current = run, deviceIndex: deviceIndex, execution: execution);
        var trace = session.Stop();
        return new Outcome(result, trace);
    }

    /// <summary>Redraws "phase 42%" on stderr twice a second, from its own thread, so the workload thread never
    /// writes.</summary>
    private sealed class ProgressDisplay : IDisposable
    {
        private readonly ManualResetEventSlim _stop = new();
        private readonly Thread _thread;

        internal ProgressDisplay(Func<WorkloadRun?> run)
        {
            _thread = new Thread(() =>
            {
                while (!_stop.Wait(500))
                {
                    if (run() is { CurrentPhase: { } phase } r)
                    {
                        Console.Error.Write($"\r  {phase,-24} {r.Progress * 100,5:F1}%   ");
                    }
                }
                Console.Error.Write("\r" + new string(' ', 40) + "\r");
            })
            { IsBackground = true, Name = "gpuosspec-progress" };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop.Set();
            _thread.Join();
            _stop.Dispose();
        }
    }
}
