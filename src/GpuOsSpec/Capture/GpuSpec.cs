using System.Runtime.CompilerServices;

namespace GpuOsSpec.Capture;

/// <summary>Where a spec starts: traces, with phases.</summary>
public static class GpuSpec
{
    /// <summary>Starts tracing this process for a spec.</summary>
    /// <param name="label"> Names this trace among the
    /// case's traces. Artifacts are named after the running [GpuFact]/[GpuTheory] case with its arguments
    /// (Class.Method[cpu]), then the label unless it is one of those arguments; outside such a case, after
    /// <paramref name="spec"/> and the label. A second trace of the same name gets .2, .3 and so on. </param>
    /// <param name="options">Capture settings; by default the most precise source permitted, no .NET runtime
    /// events.</param>
    /// <param name="runtimeEvents">Also record .NET GC, JIT and thread-pool events (EventPipe), for the
    /// GC/JIT assertions.</param>
    /// <param name="spec">The calling test method (filled in by the compiler).</param>
    public static TraceScope Trace(string? label = null, CaptureOptions? options = null, bool runtimeEvents = false, [CallerMemberName] string spec = "")
    {
        var o = options ?? new CaptureOptions();
        // Test classes run in parallel in one process: the runtime threads of contexts this class never used are
        // another test's, and stay out of this trace's default view. Asked when the trace is built.
        o = o with { RuntimeThreads = new ClassRuntimeThreads(Cases.CurrentTest.Value?.Class, o.RuntimeThreads) };
        if (runtimeEvents)
        {
            o = o with { DotNetRuntimeEvents = true };
        }
        return new TraceScope(label is null ? spec : $"{spec}[{label}]", Cases.CurrentTest.ArtifactName(spec, label), o);
    }

    /// <summary>
    /// Runs a program to completion under tracing, with all its threads and descendants, and returns its trace, saved
    /// with the spec's artifacts. The program's gpuos phases (when it uses libgpuos) become the trace's phases: the
    /// command gets GPUOS_LIBRARY set to the copy beside the tests, which is the one probed. The same assertions apply
    /// per phase, per thread origin and per role. A command that cannot be found fails the spec; one that exits
    /// non-zero is reported in <see cref="Tracing.Model.Trace.ExitCode"/>, for the spec to assert on.
    /// </summary>
    /// <param name="command">The program (a path, or a name looked up on PATH).</param>
    /// <param name="arguments">Its
    /// arguments.</param>
    /// <param name="options">Capture settings; by default full perf mode (every syscall an event, so
    /// phases get every figure) and gpuos markers read.</param>
    /// <param name="label">Added to the spec's name for the
    /// artifact files.</param>
    /// <param name="spec">The calling test method (filled in by the compiler).</param>
    /// <exception cref="CommandNotFoundException">When the program cannot be found or run.</exception>
    public static Tracing.Model.Trace TraceCommand(string command, IReadOnlyList<string> arguments, CaptureOptions? options = null, string? label = null,
        [CallerMemberName] string spec = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(arguments);
        // Beside the plugin, in the test project's output (under xunit.console, AppContext.BaseDirectory is the
        // runner's).
        string? library = Path.Combine(Path.GetDirectoryName(typeof(GpuSpec).Assembly.Location)!, "libgpuos.so");
        library = File.Exists(library) ? library : null;
        var o = options ?? new CaptureOptions { Mode = PerfMode.Full };
        if (o.GpuOsLibrary is null && library is not null && o.Source is CaptureSourceKind.Auto or CaptureSourceKind.Perf)
        {
            o = o with { GpuOsLibrary = library };
        }
        var trace = GpuOsSpec.Tracing.Sessions.CommandTracer.Run(command, arguments, o);
        Reports.ResultsFolder.Save(Cases.CurrentTest.ArtifactName(spec, label), trace);
        return trace;
    }

    /// <summary>
    /// Ends the running case as skipped, with <paramref name="reason"/>: for a case that cannot measure what it asserts
    /// about on this backend (a vendor without graphs, say). Never return early instead: that reports a pass on
    /// nothing. Works in <c>[GpuFact]</c> and <c>[GpuTheory]</c> cases.
    /// </summary>
    /// <exception cref="Cases.SpecSkippedException">Always.</exception>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Skip(string reason) => throw new Cases.SpecSkippedException(reason);
}
