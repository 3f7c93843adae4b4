namespace GpuOsSpec.Tracing.Sources;

/// <summary>
/// What the caller knows of this process's GPU runtime threads (in-process targets), asked when the trace is built,
/// after the capture. A list given when the capture starts can be late: a context another user was creating when the
/// capture started, or a stream it created meanwhile, has threads that only a later answer names.
/// </summary>
public interface IRuntimeThreadRegistry
{
    /// <summary>Threads known to belong to a GPU runtime, as <see cref="CaptureOptions.KnownRuntimeTids"/>.</summary>
    IReadOnlySet<int> RuntimeTids();

    /// <summary>GPU runtime threads of another user of this process, as
    /// <see cref="CaptureOptions.ForeignRuntimeTids"/>.</summary>
    IReadOnlySet<int> ForeignRuntimeTids();
}
