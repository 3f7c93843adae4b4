namespace GpuOsSpec.Tracing.Sources;

/// <summary>
/// One capture source's whole lifecycle, for an in-process session or for a command: start, stop (idempotent), and
/// one <see cref="CaptureResult"/>. <see cref="TraceSession"/> and <see cref="CommandTracer"/> only
/// orchestrate; everything a source does lives in its backend, which its <see cref="ISyscallSource"/> creates.
/// </summary>
internal interface ICaptureBackend : IDisposable
{
    /// <summary>
    /// Starts recording every thread of this process, those born later included, but the backend's own and
    /// <paramref name="exclude"/> (other tracers' threads); returns once it records.
    /// </summary>
    /// <returns>The tids of the backend's own threads, which are never traced.</returns>
    /// <exception cref="TracerException">When the source cannot start; the message has the fix.</exception>
    IReadOnlySet<int> StartInProcess(IReadOnlySet<int> exclude);

    /// <summary>Starts <paramref name="path"/> under capture, with all its threads and descendants.</summary>
    /// <exception cref="CommandNotFoundException">When the program cannot be run.</exception>
    /// <exception cref="TracerException">When the source cannot start; the message has the fix.</exception>
    ChildProcess StartCommand(string path, IReadOnlyList<string> arguments);

    /// <summary>The processes an interrupt goes to: the command itself, not a tracer between it and us.</summary>
    IReadOnlyList<int> InterruptTargets(ChildProcess started);

    /// <summary>Stops recording (a second call returns the same result) and hands over what was recorded.</summary>
    CaptureResult Stop();
}
