using System.Text.Json;
using GpuOsSpec.Cli.Tests.Check;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>
/// The default mode with the gpuos markers read leaves page faults to its phase counter, which sums them per thread
/// and phase run in the kernel: no fault costs a perf sample, and every fault figure is the counter's. --fault-events,
/// and --perfetto (whose timeline draws each fault), record them as events as before. tests/native/rules.c faults:
/// each of 5 steady steps drops 1,024 pages and touches them again.
/// </summary>
[Collection(SerialCollection.Name)]
public class TraceFaultEventsTests
{
    private static (int Code, JsonElement Json, string Err) Trace(params string[] options)
    {
        var (code, output, err) = Support.Cli.Run(["trace", "--json", "-", .. CheckRuns.Library, .. options, "--", NativePrograms.Rules, "faults"]);
        return (code, string.IsNullOrWhiteSpace(output) ? default : JsonDocument.Parse(output).RootElement.Clone(), err);
    }

    private static JsonElement Steady(JsonElement json) =>
        json.GetProperty("phases").EnumerateArray().Should().ContainSingle(p => p.GetProperty("path").GetString() == "steady").Subject;

    [SkippableFact]
    public void By_default_no_fault_is_an_event_and_the_whole_run_and_each_phase_have_the_faults_the_phase_counter_summed()
    {
        Requires.PhaseCounter();

        var (code, json, err) = Trace();

        code.Should().Be(0, err);
        json.GetProperty("inconclusive").GetBoolean().Should().BeFalse(json.GetProperty("inconclusiveReason").ToString());
        json.GetProperty("pageFaults").GetProperty("minorSource").GetString().Should().Be("perf (the kernel's phase counter)");
        var steady = Steady(json).GetProperty("pageFaults");
        steady.GetProperty("minorSource").GetString().Should().Be("perf (the kernel's phase counter)");
        steady.GetProperty("minor").GetInt64().Should().BeGreaterThan(64, "each step drops pages and touches them again")
            .And.BeLessThanOrEqualTo(json.GetProperty("pageFaults").GetProperty("minor").GetInt64());
        json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should()
            .Contain(n => n!.StartsWith("page faults were counted per thread and phase run in the kernel by hybrid mode's phase counter, not recorded as events", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void With_fault_events_every_fault_is_an_event_beside_the_counter_as_before()
    {
        Requires.PhaseCounter();

        var (code, json, err) = Trace("--fault-events");

        code.Should().Be(0, err);
        json.GetProperty("pageFaults").GetProperty("minorSource").GetString().Should().Be("perf");
        Steady(json).GetProperty("pageFaults").GetProperty("minorSource").GetString().Should().Be("perf");
    }

    [SkippableFact]
    public void A_perfetto_timeline_keeps_the_fault_events_it_draws()
    {
        Requires.PhaseCounter();
        string perfetto = Path.Combine(Path.GetTempPath(), $"gpuosspec-faults-{Environment.ProcessId}-{Guid.NewGuid():N}.json");

        var (code, json, err) = Trace("--perfetto", perfetto);

        code.Should().Be(0, err);
        json.GetProperty("pageFaults").GetProperty("minorSource").GetString().Should().Be("perf");
        File.ReadAllText(perfetto).Should().Contain("\"minor fault\"");
    }

    [Fact]
    public void Fault_events_asked_for_and_refused_at_once_are_a_usage_error_before_the_command_runs()
    {
        var (code, _, err) = Trace("--no-fault-events", "--fault-events");

        code.Should().Be(2, err);
        err.Should().Contain("--no-fault-events and --fault-events contradict each other");
    }
}
