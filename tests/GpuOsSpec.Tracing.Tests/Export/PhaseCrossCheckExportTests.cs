using System.Text.Json;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;
using static GpuOsSpec.Tracing.Tests.Support.CrossCheckCaptures;

namespace GpuOsSpec.Tracing.Tests.Export;

/// <summary>The phase cross-check in the summary and the JSON: both figures of what differs, the reason when nothing
/// was compared, and nothing at all when it was not asked for.</summary>
public class PhaseCrossCheckExportTests
{
    private static JsonElement Json(Trace trace)
    {
        using var stream = new MemoryStream();
        TraceJsonExporter.Write(trace, stream);
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    private static Trace Planted()
    {
        var cells = Cells();
        cells[1] = cells[1] with { Calls = 2 };
        return Build(Events(), cells);
    }

    [Fact]
    public void The_json_carries_a_planted_difference_with_both_figures_and_its_thread()
    {
        var check = Json(Planted()).GetProperty("phaseCrossCheck");

        check.GetProperty("compared").GetBoolean().Should().BeTrue();
        check.GetProperty("equal").GetBoolean().Should().BeFalse();
        check.GetProperty("differences").GetInt32().Should().Be(1);
        check.GetProperty("paths").EnumerateArray().Select(p => p.GetString()).Should().Equal("step");
        var row = check.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("syscall").GetString() == "getppid");
        row.GetProperty("path").GetString().Should().Be("step");
        row.GetProperty("equal").GetBoolean().Should().BeFalse();
        row.GetProperty("fullCalls").GetInt64().Should().Be(3);
        row.GetProperty("kernelCalls").GetInt64().Should().Be(4);
        row.GetProperty("fullErrors").GetInt64().Should().Be(0);
        row.GetProperty("kernelErrors").GetInt64().Should().Be(0);
        row.GetProperty("fullCallsByReturn").GetInt64().Should().Be(3);
        row.GetProperty("differingTids").EnumerateArray().Select(t => t.GetInt32()).Should().Equal(Main);
        check.GetProperty("perEventInDefaultMode").EnumerateArray().Select(n => n.GetString()).Should().Contain("futex");
    }

    [Fact]
    public void The_json_and_the_summary_show_an_event_unordered_at_a_boundary_apart_from_the_differences()
    {
        var (switches, activity, witnesses) = HelperSwitchAtRunAsEnd(kernelReadNs: 1999);
        var trace = Build(Events(), Cells(), activity: activity, switches: switches, witnesses: witnesses);

        var figure = Json(trace).GetProperty("phaseCrossCheck").GetProperty("figures").EnumerateArray()
            .Single(f => f.GetProperty("figure").GetString() == "involuntarySwitches");
        figure.GetProperty("equal").GetBoolean().Should().BeTrue();
        (figure.GetProperty("full").GetInt64(), figure.GetProperty("kernel").GetInt64()).Should().Be((1L, 0L));
        figure.GetProperty("unordered").GetInt64().Should().Be(1);
        figure.GetProperty("unorderedTids").EnumerateArray().Select(t => t.GetInt32()).Should().Equal(Helper);
        figure.GetProperty("differingTids").GetArrayLength().Should().Be(0);
        TraceSummary.Render(trace).Should().Contain("1 event(s) in 1 figure(s) fell at another thread's phase boundary where no clock orders them")
            .And.Contain("step                             involuntarySwitches  full        1 kernel        0  unordered    1  8");
    }

    [Fact]
    public void The_json_of_a_cross_check_that_compared_nothing_has_null_verdicts_never_true_or_zero()
    {
        var check = Json(Build(Events(), Cells(), lost: 3)).GetProperty("phaseCrossCheck");

        check.GetProperty("compared").GetBoolean().Should().BeFalse();
        check.GetProperty("reason").GetString().Should().Be("the kernel's phase counter lost 3 count(s) (the notes say where)");
        check.GetProperty("equal").ValueKind.Should().Be(JsonValueKind.Null);
        check.GetProperty("differences").ValueKind.Should().Be(JsonValueKind.Null);
        check.GetProperty("rows").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public void The_json_carries_each_switch_and_fault_figure_both_ways_and_what_was_not_compared()
    {
        var activity = Activity();
        activity[2] = activity[2] with { MajorFaults = 2 };

        var check = Json(Build(Events(), Cells(), activity: activity, faultsRecorded: true)).GetProperty("phaseCrossCheck");

        check.GetProperty("equal").GetBoolean().Should().BeFalse();
        check.GetProperty("differences").GetInt32().Should().Be(1);
        var major = check.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("figure").GetString() == "majorFaults");
        major.GetProperty("path").GetString().Should().Be("step");
        major.GetProperty("equal").GetBoolean().Should().BeFalse();
        major.GetProperty("full").GetInt64().Should().Be(1);
        major.GetProperty("kernel").GetInt64().Should().Be(2);
        major.GetProperty("differingTids").EnumerateArray().Select(t => t.GetInt32()).Should().Equal(Main);
        check.GetProperty("figuresNotCompared").GetArrayLength().Should().Be(0);
        Json(Build(Events(), Cells())).GetProperty("phaseCrossCheck").GetProperty("figuresNotCompared").EnumerateArray().Select(n => n.GetString())
            .Should().Equal("context switches and page faults: the kernel's switch and fault programs could not be attached (a test)");
    }

    [Fact]
    public void The_summary_lists_a_differing_switch_or_fault_figure_with_both_figures()
    {
        var activity = Activity();
        activity[0] = activity[0] with { MinorFaults = 5 };

        string summary = TraceSummary.Render(Build(Events(), Cells(), activity: activity));

        summary.Should().Contain("phase cross-check DIFFERENT: 0 of 2 (phase, syscall) figure(s) and 1 of 4 (phase, switch or fault) figure(s) in 1 phase path(s) differ");
        summary.Should().MatchRegex(@"\n  step +minorFaults +3 +6  7\r?\n");
    }

    [Fact]
    public void The_json_has_no_cross_check_when_none_was_asked_for()
    {
        Json(Build(Events(), Cells(), asked: false)).TryGetProperty("phaseCrossCheck", out _).Should().BeFalse();
    }

    [Fact]
    public void The_summary_says_different_and_lists_the_differing_figure()
    {
        string summary = TraceSummary.Render(Planted());

        summary.Should().Contain("phase cross-check DIFFERENT: 1 of 2 (phase, syscall) figure(s) and 0 of 0 (phase, switch or fault) figure(s) in 1 phase path(s) differ");
        summary.Should().MatchRegex(@"\n  step +getppid +3 +0 +4 +0 +3  7\r?\n");
    }

    [Fact]
    public void The_summary_says_equal_when_every_figure_agrees()
    {
        TraceSummary.Render(Build(Events(), Cells())).Should().Contain("phase cross-check EQUAL: in 1 phase path(s), 2 (phase, syscall) figure(s)");
    }

    [Fact]
    public void The_summary_says_not_compared_and_why()
    {
        TraceSummary.Render(Build(Events(), null, unavailable: "hybrid mode's phase counter did not run (the kernel refused it)"))
            .Should().Contain("phase cross-check NOT COMPARED: hybrid mode's phase counter did not run (the kernel refused it)");
    }
}
