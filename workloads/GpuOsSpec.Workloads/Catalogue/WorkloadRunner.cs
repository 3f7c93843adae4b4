using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>Runs a workload on a backend, turning failures into a result that says where they happened.</summary>
public static class WorkloadRunner
{
    /// <summary>Runs <paramref name="workload"/>.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="backend">The backend.</param>
    /// <param name="settings">Its resolved settings.</param>
    /// <param name="phaseSink">Called when a phase opens (e.g. to open a trace phase); the returned scope closes
    /// it.</param>
    /// <param name="started">Called with the run before the workload starts (e.g. to watch its
    /// progress).</param>
    /// <param name="cancel">Stops the workload at its next check.</param>
    /// <param name="deviceIndex">Which of the backend's devices.</param>
    /// <param name="execution">Native, or through
    /// gpuos (phases as gpuos phases, host waits through gpuos completions).</param>
    public static WorkloadResult Run(IWorkload workload, IGpuBackend backend, WorkloadSettings settings,
        Func<string, IDisposable>? phaseSink = null, Action<WorkloadRun>? started = null, CancellationToken cancel = default, int deviceIndex = 0,
        ExecutionPath execution = ExecutionPath.Native)
    {
        string? error = null;
        string? failedPhase = null;
        string? notSupported = null;
        WorkloadRun run;
        try
        {
            run = new WorkloadRun(backend, settings, phaseSink, cancel, deviceIndex, execution);
        }
        catch (NotSupportedException ex)
        {
            return new WorkloadResult
            {
                Workload = workload.Name,
                Backend = backend.Name,
                Execution = execution,
                Settings = settings.Values,
                Phases = [],
                Checks = [],
                NotSupported = ex.Message,
            };
        }
        IReadOnlyList<PhaseResult> phases;
        IReadOnlyList<WorkloadCheck> checks;
        string? device;
        try
        {
            started?.Invoke(run);
            workload.Run(run);
        }
        catch (NotSupportedException ex)
        {
            notSupported = ex.Message;
            failedPhase = run.CurrentPhase ?? run.PhaseAtLastThrow;
        }
        catch (Exception ex) when (ex is GpuBackendException or InvalidOperationException or ArgumentException or OperationCanceledException or OutOfMemoryException)
        {
            error = ex.Message;
            failedPhase = run.CurrentPhase ?? run.PhaseAtLastThrow;
        }
        finally
        {
            device = run.Device;
            try
            {
                run.Dispose();
            }
            catch (GpuBackendException ex)
            {
                error ??= $"teardown failed: {ex.Message}";
            }
            phases = run.Phases;
            checks = run.Checks;
        }
        return new WorkloadResult
        {
            Workload = workload.Name,
            Backend = backend.Name,
            Execution = execution,
            Device = device,
            Settings = settings.Values,
            Phases = phases,
            Checks = checks,
            Error = error,
            FailedPhase = failedPhase,
            NotSupported = notSupported,
        };
    }
}
