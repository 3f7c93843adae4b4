namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>One phase of a workload run: its wall time and the operations it performed.</summary>
/// <param name="Path">"setup", "steady", "steady/100us", ...</param>
/// <param name="DurationNs">Wall time.</param>
/// <param name="Operations">Operations by kind (launches, syncs, copies, allocations, graph launches).</param>
public sealed record PhaseResult(string Path, long DurationNs, IReadOnlyDictionary<string, long> Operations)
{
    /// <summary>Nanoseconds per operation of <paramref name="kind"/>, or null when none were counted.</summary>
    public double? NsPer(string kind) => Operations.TryGetValue(kind, out long n) && n > 0 ? (double)DurationNs / n : null;
}
