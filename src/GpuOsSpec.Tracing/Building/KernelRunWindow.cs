namespace GpuOsSpec.Tracing.Building;

/// <summary>
/// A gpuos phase run's window as the kernel's marker records time it (<see cref="KernelPhaseAttribution.Windows"/>):
/// each edge is the clock read just after the open set changed, and, in witness mode, the change is known to lie
/// between the edge's <c>From</c> read and the edge itself. Outside witness mode (or for an edge no marker made: the
/// capture's end, an exec) <c>From</c> equals the edge.
/// </summary>
/// <param name="Start">The begin's time.</param>
/// <param name="End">The end's time.</param>
/// <param name="StartFrom">The clock read just before the begin changed the set.</param>
/// <param name="EndFrom">The clock read just before the end changed the set.</param>
internal readonly record struct KernelRunWindow(long Start, long End, long StartFrom, long EndFrom)
{
    /// <summary>The run's own window, where the kernel's records do not name it.</summary>
    internal static KernelRunWindow Of(Model.Phase run) => new(run.StartNs, run.EndNs, run.StartNs, run.EndNs);
}
