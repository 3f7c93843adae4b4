using System.Text;
using System.Text.Json;
using GpuOsSpec.Cli.Reliability;

namespace GpuOsSpec.Cli.Tests.Bench;

/// <summary>
/// The bench's rounds and what they report, with variants that take no time: a variant that did not run is reported
/// as not run with the reason (dashes in the table, null in the JSON), never with a 0 that reads as "costs nothing".
/// Timing is never a verdict here; the samples are made up.
/// </summary>
public sealed class BenchRoundsTests
{
    private const string MissingTool = "gpuosspec-no-such-tool";

    private static BenchVariant Fixed(string id, double ms) => new(id, id, () => new BenchSample(ms));

    private static BenchVariant NotInstalled() =>
        new("anchor", "an anchor", () =>
        {
            BenchPrograms.RunTool(MissingTool, []);
            return new BenchSample(1);
        }, MissingTool);

    private static (BenchGroup Group, IReadOnlyList<BenchFigures> Figures) Run(int rounds, params BenchVariant[] variants)
    {
        var group = new BenchGroup("syscalls", "a storm", "syscall", 1000, "getppid", variants);
        var outcomes = BenchRounds.Run([group], rounds, _ => { });
        return (group, BenchFigures.Of(outcomes));
    }

    private static string Table(BenchGroup group, IReadOnlyList<BenchFigures> figures, int rounds)
    {
        var w = new StringWriter();
        BenchTable.Write(w, [group], figures, rounds);
        return w.ToString();
    }

    private static JsonElement Json(BenchGroup group, IReadOnlyList<BenchFigures> figures, int rounds)
    {
        using var stream = new MemoryStream();
        BenchJson.Write(stream, [group], figures, rounds);
        return JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray())).RootElement;
    }

    private static JsonElement Variant(JsonElement root, string name) =>
        root.GetProperty("storms")[0].GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);

    [Fact]
    public void A_variant_whose_tool_is_not_installed_is_not_run_with_the_reason_and_has_no_figures()
    {
        var (_, figures) = Run(3, Fixed("untraced", 10), NotInstalled());

        var anchor = figures.Single(f => f.Outcome.Variant.Id == "anchor");
        anchor.NotRun.Should().Be($"{MissingTool} is not installed");
        anchor.TimeMs.Should().BeNull();
        anchor.Ratio.Should().BeNull();
        anchor.AddedUs.Should().BeNull();
        anchor.PerOperationUs.Should().BeNull();
        anchor.Outcome.Samples.Should().BeEmpty();
    }

    [Fact]
    public void The_table_shows_a_variant_not_run_with_dashes_and_the_reason_never_a_0()
    {
        var (group, figures) = Run(3, Fixed("untraced", 10), NotInstalled());

        string row = Table(group, figures, 3).Split('\n').Single(l => l.StartsWith("| an anchor ", StringComparison.Ordinal));

        row.Should().Be($"| an anchor | — | — | — | — | not run: {MissingTool} is not installed |");
    }

    [Fact]
    public void The_json_gives_a_variant_not_run_null_figures_and_the_reason_never_0()
    {
        var (group, figures) = Run(3, Fixed("untraced", 10), NotInstalled());

        var root = Json(group, figures, 3);
        var anchor = Variant(root, "anchor");

        root.GetProperty("schema").GetString().Should().Be("gpuosspec.bench/1");
        anchor.GetProperty("run").GetBoolean().Should().BeFalse();
        anchor.GetProperty("notRun").GetString().Should().Be($"{MissingTool} is not installed");
        anchor.GetProperty("samplesMs").GetArrayLength().Should().Be(0);
        foreach (string figure in new[] { "timeMs", "usPerOperation", "ratio", "addedUsPerOperation", "counts" })
        {
            anchor.GetProperty(figure).ValueKind.Should().Be(JsonValueKind.Null, $"{figure} of a variant not run is not measured");
        }
    }

    [Fact]
    public void A_variant_that_fails_in_a_later_round_keeps_none_of_its_samples()
    {
        int calls = 0;
        var flaky = new BenchVariant("flaky", "flaky", () => ++calls == 3 ? throw new InvalidOperationException("the tool exited with 1: boom") : new BenchSample(20));

        var (_, figures) = Run(3, Fixed("untraced", 10), flaky);

        var f = figures.Single(x => x.Outcome.Variant.Id == "flaky");
        f.NotRun.Should().Be("failed in round 2: the tool exited with 1: boom", "the warm-up is call 1, round 1 call 2");
        f.TimeMs.Should().BeNull("a median of the rounds that happened to work is not the variant's figure");
        f.Outcome.Samples.Should().BeEmpty();
    }

    [Fact]
    public void Without_its_reference_a_variant_has_a_time_but_no_ratio_and_says_why()
    {
        var reference = new BenchVariant("untraced", "untraced", () => throw new InvalidOperationException("storm exited with 2"));

        var (group, figures) = Run(3, reference, Fixed("hybrid", 20));

        var hybrid = figures.Single(f => f.Outcome.Variant.Id == "hybrid");
        hybrid.TimeMs!.Median.Should().Be(20);
        hybrid.Ratio.Should().BeNull();
        hybrid.AddedUs.Should().BeNull();
        hybrid.NotCompared.Should().Be("the reference (untraced) was not run: storm exited with 2");
        Variant(Json(group, figures, 3), "hybrid").GetProperty("ratio").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Ratio_and_added_cost_are_paired_round_by_round_with_the_reference()
    {
        // The reference drifts from 10 to 30 ms over the rounds and the variant is always twice it: paired, the ratio
        // is exactly 2 in every round; medians of the blocks would give 40 / 20 = 2 here too, but not its interval.
        double[] drift = [10, 10, 20, 30]; // the warm-up, then rounds 1 to 3
        int r = 0, t = 0;
        var reference = new BenchVariant("untraced", "untraced", () => new BenchSample(drift[r++]));
        var twice = new BenchVariant("twice", "twice", () => new BenchSample(2 * drift[t++]));

        var (_, figures) = Run(3, reference, twice);

        var f = figures.Single(x => x.Outcome.Variant.Id == "twice");
        f.Ratio!.Low.Should().Be(2);
        f.Ratio.High.Should().Be(2);
        f.AddedUs!.Median.Should().Be(20.0 * 1000 / 1000, "20 ms more over 1,000 operations");
    }

    [Fact]
    public void Each_round_runs_every_variant_once_in_an_order_turned_by_one()
    {
        var order = new List<string>();
        BenchVariant Logged(string id) => new(id, id, () =>
        {
            order.Add(id);
            return new BenchSample(1);
        });

        Run(3, Logged("a"), Logged("b"), Logged("c"));

        order.Should().Equal("a", "b", "c", /* round 1 */ "a", "b", "c", /* round 2 */ "b", "c", "a", /* round 3 */ "c", "a", "b");
    }

    // A bench once saw perf-paired count 1,803,700 of 2,000,000 getppid with 0 lost: whether the trace itself said it
    // could not be trusted is part of the count, not left to the reader to guess.
    [Fact]
    public void A_round_whose_trace_was_inconclusive_is_no_exact_round_and_the_table_and_json_say_why()
    {
        const string why = "a foreign eBPF program was attached to raw_syscalls:sys_enter";
        int round = 0;
        var paired = new BenchVariant("full-paired", "full-paired", () => ++round == 2 ? new BenchSample(5, 1000, 0, why) : new BenchSample(5, 1000, 0));

        var (group, figures) = Run(3, Fixed("untraced", 1), paired);

        var counts = figures.Single(f => f.Outcome.Variant.Id == "full-paired").Counts!;
        counts.Exact.Should().BeFalse("a count that matches on an inconclusive trace proves nothing");
        counts.InconclusiveRounds.Should().Be(1);
        Table(group, figures, 3).Should().Contain($"1/3 rounds inconclusive ({why})");
        var json = Variant(Json(group, figures, 3), "full-paired").GetProperty("counts");
        json.GetProperty("inconclusiveRounds").GetInt32().Should().Be(1);
        json.GetProperty("inconclusiveReason").GetString().Should().Be(why);
    }
}
