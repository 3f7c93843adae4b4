using System.Globalization;

namespace GpuOsSpec.Assertions;

/// <summary>The evidence assertion messages carry: top contributors with thread names and first times, and where the
/// trace is.</summary>
internal static class Evidence
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>"futex ×3 (first at +1.204 ms, tid 42 cuda-EvtHandlr [GpuRuntime])" for the top syscalls of
    /// <paramref name="calls"/>.</summary>
    internal static string TopSyscalls(TraceView view, IEnumerable<SyscallEvent> calls, int top = 5) => TraceEvidence.TopSyscalls(view, calls, top);

    /// <summary>The first few events of a kind, with thread and time.</summary>
    internal static string First<T>(TraceView view, IEnumerable<T> events, Func<T, int> tid, Func<T, long> time, Func<T, string> what, int top = 5) =>
        TraceEvidence.First(view, events, tid, time, what, top);

    /// <summary>" Trace: PATH." when the trace was saved, and where the view looked.</summary>
    internal static string Where(TraceView view) =>
        $" Looked at {view.Describe()}.{(Reports.ResultsFolder.ArtifactsOf(view.Trace) is { } a ? $" Trace: {a.TraceJson}." : "")}";

    internal static string Thread(Trace trace, int tid) => TraceEvidence.Thread(trace, tid);

    /// <summary>Evidence for a FailWith argument: printed as written (FluentAssertions would quote a string and suffix
    /// a long).</summary>
    internal static Verbatim Text(object? value) => new(Convert.ToString(value, s_inv) ?? "");

    /// <summary>"a, b, c and 7 more": at most <paramref name="top"/> items, saying how many were cut.</summary>
    internal static string Joined(IEnumerable<string> items, int top) => TraceEvidence.Joined(items, top);

    static Evidence() => FluentAssertions.Formatting.Formatter.AddFormatter(new VerbatimFormatter());

    /// <summary>Text a FluentAssertions message shows as is.</summary>
    internal sealed record Verbatim(string Value)
    {
        public override string ToString() => Value;
    }

    private sealed class VerbatimFormatter : FluentAssertions.Formatting.IValueFormatter
    {
        public bool CanHandle(object value) => value is Verbatim;

        public void Format(object value, FluentAssertions.Formatting.FormattedObjectGraph formattedGraph, FluentAssertions.Formatting.FormattingContext context,
            FluentAssertions.Formatting.FormatChild formatChild) => formattedGraph.AddFragment(((Verbatim)value).Value);
    }
}
