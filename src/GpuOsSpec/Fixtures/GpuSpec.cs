using System.Runtime.CompilerServices;
using GpuOsSpec.Tracing.Capture;

namespace GpuOsSpec.Fixtures;

/// <summary>Where a spec starts: traces, with phases.</summary>
public static class GpuSpec
{
    /// <summary>Starts tracing this process for a spec.</summary>
    /// <param name="label">Added to the spec's name (e.g. the backend of a theory case).</param>
    /// <param name="options">Capture settings; by default the most precise source permitted, no .NET runtime events.</param>
    /// <param name="runtimeEvents">Also record .NET GC, JIT and thread-pool events (EventPipe), for the GC/JIT assertions.</param>
    /// <param name="spec">The calling test method (filled in by the compiler).</param>
    public static TraceScope Trace(string? label = null, CaptureOptions? options = null, bool runtimeEvents = false, [CallerMemberName] string spec = "")
    {
        var o = options ?? new CaptureOptions();
        o = o with { KnownRuntimeTids = (o.KnownRuntimeTids ?? new HashSet<int>()).Union(RuntimeThreads.Tids).ToHashSet() };
        if (runtimeEvents)
        {
            o = o with { DotNetRuntimeEvents = true };
        }
        return new TraceScope(label is null ? spec : $"{spec}[{label}]", o);
    }

    /// <summary>
    /// Ends the running case as skipped, with <paramref name="reason"/>: for a case that cannot measure what it asserts
    /// about on this backend (a vendor without graphs, say). Never return early instead: that reports a pass on nothing.
    /// Works in <c>[GpuFact]</c> and <c>[GpuTheory]</c> cases.
    /// </summary>
    /// <exception cref="Xunit.SpecSkippedException">Always.</exception>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Skip(string reason) => throw new Xunit.SpecSkippedException(reason);
}
