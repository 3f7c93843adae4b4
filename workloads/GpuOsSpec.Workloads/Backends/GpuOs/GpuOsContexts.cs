using Library = GpuOs.GpuOsLibrary;

namespace GpuOsSpec.Workloads.Backends.GpuOs;

/// <summary>Runs a context's host waits through gpuos: for specs and tools that compare the two paths on one backend.</summary>
public static class GpuOsContexts
{
    /// <summary>
    /// A context whose streams wait through gpuos completions (sync mode spin: gpuos spin; blocking: park; auto and
    /// yield: adaptive) and otherwise behave as <paramref name="native"/>; disposing it disposes <paramref name="native"/>.
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
