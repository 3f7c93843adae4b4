using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Tests.Export;

/// <summary>Every name the summary prints stays in its row, whatever characters it holds.</summary>
public class SummaryNameTests
{
    private const int Tid = 100;

    // Each name ends in "@word", which must never start a line of its own.
    private static Trace TraceWithNames(string breaker)
    {
        string Named(string word) => $"evil{breaker}@{word}";
        var ioctl = new IoctlInfo(Named("device"), DeviceFamily.Unknown, new IoctlCode(0xC0104600), Named("request"), SyscallRole.SubmissionControl);
        var calls = new List<SyscallEvent>
        {
            new(Tid, 16, "ioctl", SyscallRole.SubmissionControl, 1_100, 1_200, 0, default, ioctl),
            new(Tid, 39, Named("syscall"), SyscallRole.Other, 1_300, 1_400, 0, default, null),
        };
        return new Trace
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            Target = Named("target"),
            Architecture = "x86_64",
            KernelRelease = "6.18",
            StartNs = 0,
            EndNs = 10_000,
            Threads = [new TraceThread(Tid, Tid, Named("thread"), ThreadOrigin.Workload, null, false)],
            Phases = [new Phase(Named("phase"), Named("phase"), 1_000, 2_000, Tid) { Origin = PhaseOrigin.GpuOsMarkers }],
            ApiCalls = [new ApiCall(Named("api"), "libx.so", Tid, 1_050, 1_500) { Syscalls = 2, Ioctls = 1, PageFaults = 0 }],
            ApiCallsRecorded = true,
            ApiFaultsMeasured = true,
            Syscalls = calls,
            SyscallTotals = [new SyscallTotal("ioctl", SyscallRole.SubmissionControl, 1, 0, 100, true), new SyscallTotal(Named("syscall"), SyscallRole.Other, 1, 0, 100, true)],
            SyscallsMeasured = true,
            ContextSwitches = [],
            ContextSwitchEventsRecorded = true,
            PageFaults = [],
            PageFaultEventsRecorded = true,
            VoluntarySwitches = new Measurement(0, "perf"),
            InvoluntarySwitches = new Measurement(0, "perf"),
            MinorFaults = new Measurement(0, "perf"),
            MajorFaults = new Measurement(0, "perf"),
            MappingChanges = [],
            RuntimeEvents = [],
            RuntimeEventsRecorded = false,
            ThreadCounters = [],
            LostEvents = 0,
            LostRuntimeEvents = 0,
            Incomplete = false,
            Notes = [Named("note")],
        };
    }

    [Theory]
    [InlineData("\n", @"\x0A")]
    [InlineData("\r", @"\x0D")]
    [InlineData("\u0085", @"\u0085")]
    [InlineData("\u2028", @"\u2028")]
    [InlineData("\u001B[2J", @"\x1B[2J")]
    public void A_name_with_a_line_break_or_control_character_stays_in_its_row_escaped(string breaker, string escaped)
    {
        string summary = TraceSummary.Render(TraceWithNames(breaker));

        string[] words = ["target", "thread", "phase", "api", "syscall", "device", "request", "note"];
        var lines = summary.Split('\n');
        foreach (string word in words)
        {
            summary.Should().Contain($"evil{escaped}@{word}", $"the {word} row shows the name escaped");
            lines.Should().NotContain(l => l.TrimStart().StartsWith('@'), "no part of a name may start a line of its own");
        }
        lines.Should().HaveSameCount(TraceSummary.Render(TraceWithNames("")).Split('\n'), "the summary has the rows of the same trace with plain names");
        summary.Replace(Environment.NewLine, "", StringComparison.Ordinal).Should().NotContain(breaker);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\nb", @"a\x0Ab")]
    [InlineData("tab\tand\u007Fdel", @"tab\x09and\x7Fdel")]
    [InlineData("c1\u0085\u009F", @"c1\u0085\u009F")]
    [InlineData("données 步骤", "données 步骤")]
    public void NameEscaping_escapes_control_characters_and_leaves_the_rest(string name, string escaped) =>
        NameEscaping.ForText(name).Should().Be(escaped);

    [Fact]
    public void NameEscaping_for_a_Markdown_cell_also_escapes_the_column_separator() =>
        NameEscaping.ForMarkdownCell("a|b\nc").Should().Be(@"a\|b\x0Ac");
}
