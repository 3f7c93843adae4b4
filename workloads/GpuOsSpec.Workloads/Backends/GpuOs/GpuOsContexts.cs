using GpuOs;
using Library = GpuOs.GpuOsLibrary;

namespace GpuOsSpec.Workloads.Backends.GpuOs;

/// <summary>Runs a context's host waits through gpuos: for specs and tools that compare the two paths on one
/// backend.</summary>
public static class GpuOsContexts
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> s_mechanisms = new();

    /// <summary>
    /// What the completions of this process spun on and parked in, one line per vendor path seen (from the library:
    /// "cuda: spin=word park=event"), so a report can say which wake-up each figure measured.
    /// </summary>
    public static IReadOnlyCollection<string> MechanismsSeen => s_mechanisms.Keys.Order(StringComparer.Ordinal).ToList();

    internal static void Seen(string mechanism) => s_mechanisms.TryAdd(mechanism, true);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, WaitPolicy), WaitTally> s_waits = new();

    /// <summary>
    /// Per mechanism and policy, what this process's waits through gpuos streams did: waits, the median and longest
    /// arm, the median wait and the decisions ("opencl NVIDIA CUDA: spin=status park=wait, adaptive: 150 waits; arm
    /// median 990 us (max 1,040 us); wait median 20 us; spin ×150"). An arm as long as the work leaves a wait nothing
    /// to sleep through.
    /// </summary>
    public static IReadOnlyCollection<string> WaitsSeen =>
        s_waits.OrderBy(w => w.Key.Item1, StringComparer.Ordinal).ThenBy(w => w.Key.Item2).Select(w => w.Value.ToString()).ToList();

    internal static void Waited(string mechanism, WaitPolicy policy, long armNs, WaitInfo wait) =>
        s_waits.GetOrAdd((mechanism, policy), k => new WaitTally(k.Item1, k.Item2)).Add(armNs, wait);

    /// <summary>
    /// What the completion of <paramref name="context"/>'s default stream spins on and parks in ("cuda: spin=word
    /// park=event"), or null when the context does not wait through gpuos or has not waited yet.
    /// </summary>
    public static string? MechanismOf(IGpuContext context) =>
        context.DefaultStream is GpuOsStream { Completion: { } completion } ? completion.Mechanism : null;

    /// <summary>
    /// A context whose streams wait through gpuos completions (sync mode spin: gpuos spin; blocking: park; auto and
    /// yield: adaptive) and otherwise behave as <paramref name="native"/>; disposing it disposes
    /// <paramref name="native"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">When libgpuos is absent; the message has the fix.</exception>
    public static IGpuContext Through(IGpuContext native)
    {
        ArgumentNullException.ThrowIfNull(native);
        return Library.Available
            ? new GpuOsContext(native)
            : throw new NotSupportedException($"gpuos waits need libgpuos: {Library.UnavailableReason}.");
    }
}
