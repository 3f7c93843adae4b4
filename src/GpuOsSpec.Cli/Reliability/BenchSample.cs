namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// One timed run of a bench variant.
/// </summary>
/// <param name="Ms">Milliseconds of the operations alone (startup subtracted, or timed inside the program).</param>
/// <param name="Counted">The operations the trace saw, or null for a variant that counts nothing (untraced, an
/// anchor).</param>
/// <param name="Lost">Events the trace lost, or null for a variant that counts nothing.</param>
/// <param name="Inconclusive">Why the trace was inconclusive, or null when it was not (or counts nothing).</param>
internal sealed record BenchSample(double Ms, long? Counted = null, long? Lost = null, string? Inconclusive = null);
