using GpuOsSpec.Cli.Evaluation;
using GpuOsSpec.Tracing.Statistics;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

[Collection(SerialCollection.Name)]
public class EvaluateCommandTests
{
    [Fact]
    public void A_median_interval_comes_from_order_statistics_and_a_verdict_only_from_separate_intervals()
    {
        var five = MedianInterval.Of([5, 1, 4, 2, 3]);
        five.Should().Be(new MedianInterval(3, 1, 5, 0.9375, 5), "with 5 runs the interval is the minimum and maximum, 93.75 % coverage");
        var twenty = MedianInterval.Of(Enumerable.Range(1, 20).Select(i => (double)i).ToList());
        twenty.Low.Should().Be(6);
        twenty.High.Should().Be(15);
        twenty.Coverage.Should().BeGreaterThanOrEqualTo(0.95);

        Verdict.Of(new MedianInterval(10, 9, 11, 0.94, 5), new MedianInterval(5, 4, 6, 0.94, 5)).Should().Be("better");
        Verdict.Of(new MedianInterval(10, 9, 11, 0.94, 5), new MedianInterval(20, 19, 21, 0.94, 5)).Should().Be("worse");
        Verdict.Of(new MedianInterval(10, 9, 11, 0.94, 5), new MedianInterval(10.5, 10, 12, 0.94, 5)).Should().StartWith("same");
    }

    [SkippableFact]
    public void Evaluate_quick_writes_markdown_json_and_html_with_plots()
    {
        Requires.Perf();
        string dir = Path.Combine(Path.GetTempPath(), $"gpuosspec-eval-{Environment.ProcessId}");
        int code = Program.Main(["evaluate", "--quick", "--backend", "cpu", "--out", dir]);

        // How long --quick takes is a figure for the README (5-6 s on the 2-core VM), not a test verdict.
        code.Should().Be(0);
        File.ReadAllText(Path.Combine(dir, "evaluation.md")).Should().Contain("## cpu").And.Contain("syscalls per wait").And.Contain("class hints");
        // Every plot drew all its bars: OxyPlot once wrote its own exception into each plot, after the first bar.
        File.ReadAllText(Path.Combine(dir, "evaluation.html")).Should().Contain("<svg").And.NotContain("OxyPlot exception");
        File.ReadAllText(Path.Combine(dir, "evaluation.json")).Should().Contain("\"schema\": \"gpuosspec.evaluation/1\"");
    }

    [Fact]
    public void Fewer_than_five_repeats_are_refused_before_any_run() =>
        Program.Main(["evaluate", "--repeats", "3"]).Should().Be(2);

    [Fact]
    public void Render_draws_an_evaluation_again_from_its_json_and_names_a_file_that_is_not_one()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"gpuosspec-eval-render-{Guid.NewGuid():N}");
        var model = new GpuOsSpec.Cli.Evaluation.EvaluationModel(GpuOsSpec.Cli.Evaluation.EvaluationModel.CurrentSchema, "test", "6.18", "2026-12-02", null, 5, false,
            [new("cpu", "cpu", "spin (gpuos spin)", "syscalls per wait", "syscalls", new(1, 0.5, 2, 0.94, 5), new(1.5, 1, 3, 0.94, 5), "same", null)],
            ["class hints: checked"], [], []);
        GpuOsSpec.Cli.Evaluation.EvaluationWriter.WriteAll(model, dir);

        Program.Main(["evaluate", "render", Path.Combine(dir, "evaluation.json"), "--out", Path.Combine(dir, "again")]).Should().Be(0);

        File.ReadAllText(Path.Combine(dir, "again", "evaluation.md")).Should().Be(File.ReadAllText(Path.Combine(dir, "evaluation.md")));
        File.ReadAllText(Path.Combine(dir, "again", "evaluation.html")).Should().Contain("<svg").And.NotContain("OxyPlot exception");
        var (code, _, err) = Support.Cli.Run(["evaluate", "render", "/etc/hostname", "--out", Path.Combine(dir, "bad")]);
        code.Should().Be(2);
        err.Should().Contain("/etc/hostname is not an evaluation");
    }
}
