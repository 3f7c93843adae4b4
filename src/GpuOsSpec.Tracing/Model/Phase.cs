namespace GpuOsSpec.Tracing.Model;

/// <summary>A named interval of the capture, opened and closed by workload code. Phases nest.</summary>
/// <param name="Name">The phase's own name.</param>
/// <param name="Path">Names from the outermost phase down, joined with '/'.</param>
/// <param name="StartNs">CLOCK_MONOTONIC nanoseconds at the start.</param>
/// <param name="EndNs">CLOCK_MONOTONIC nanoseconds at the end.</param>
/// <param name="Tid">The thread that opened the phase.</param>
public sealed record Phase(string Name, string Path, long StartNs, long EndNs, int Tid)
{
    /// <summary>The workload class a gpuos phase declared; None for phases the tracer's caller opened.</summary>
    public PhaseClass Class { get; init; }

    /// <summary>Where the phase came from: the tracing code (in process) or gpuos markers in the traced
    /// program.</summary>
    public PhaseOrigin Origin { get; init; }

    /// <summary>True when the phase was not closed by its program (thread or process ended, or the capture
    /// did).</summary>
    public bool Abandoned { get; init; }

    /// <summary>The sequence number of the gpuos begin marker that opened it (0 for phases the tracer's caller
    /// opened): with <see cref="Tid"/>, what hybrid mode's phase counter knows the run by.</summary>
    internal ulong BeginSequence { get; init; }

    /// <summary>Duration in nanoseconds.</summary>
    public long DurationNs => EndNs - StartNs;

    /// <summary>True when <paramref name="timeNs"/> lies in [start, end).</summary>
    public bool Contains(long timeNs) => timeNs >= StartNs && timeNs < EndNs;
}
