using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>
/// The CLI's conventions: unknown options are usage errors (exit 2) before any work; every verb's --json takes FILE, or
/// stdout with - or no value, and then stdout holds the JSON alone.
/// </summary>
[Collection(SerialCollection.Name)]
public class ConventionTests
{
    private static (int Code, string Out, string Err) Gpuosspec(params string[] args) => Support.Cli.Run(args);

    [Theory]
    [InlineData("trace", "--bogus", "--", "/bin/true")]
    [InlineData("backends", "--bogus")]
    [InlineData("baseline", "compare")]
    [InlineData("evaluate", "--repeats", "many")]
    public void A_usage_error_exits_2_and_says_so_before_any_work(params string[] args)
    {
        var (code, _, err) = Gpuosspec(args);

        code.Should().Be(ExitCodes.Usage);
        err.Should().StartWith("gpuosspec: ").And.Contain("--help");
    }

    [Fact]
    public void Trace_json_dash_writes_the_trace_to_stdout()
    {
        var (code, output, _) = Gpuosspec("trace", "--json", "-", "--source", "proc", "--", "/bin/true");

        code.Should().Be(0);
        output.TrimStart().Should().StartWith("{").And.Contain("\"schema\": \"gpuosspec.trace/2\"");
        File.Exists("-").Should().BeFalse("- means stdout, not a file named -");
    }

    [Fact]
    public void Sources_json_lists_every_source_and_the_pick()
    {
        var (code, output, _) = Gpuosspec("sources", "--json");

        code.Should().Be(0);
        output.Should().Contain("\"name\": \"perf\"").And.Contain("\"name\": \"strace\"").And.Contain("\"auto\":");
    }

    [Theory]
    [InlineData("run", "launch-storm", "--backend", "cpu", "--smoke", "--json", "-")]
    [InlineData("backends", "--json", "-")]
    [InlineData("workloads", "--json")]
    [InlineData("sources", "--json", "-")]
    public void With_json_on_stdout_stdout_is_one_json_document_and_the_text_goes_to_stderr(params string[] args)
    {
        var (code, output, _) = Gpuosspec(args);

        code.Should().Be(0);
        var parse = () => System.Text.Json.JsonDocument.Parse(output);
        parse.Should().NotThrow($"stdout of gpuosspec {string.Join(' ', args)} should be JSON alone, but it was: {output[..Math.Min(output.Length, 300)]}");
    }

    [Fact]
    public void Report_json_gathers_the_runs_into_one_document()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"gpuosspec-report-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string run = Path.Combine(dir, "run.json");
        Gpuosspec("run", "launch-storm", "--backend", "cpu", "--smoke", "--source", "proc", "--json", run).Code.Should().Be(0);

        var (code, output, err) = Gpuosspec("report", run, "--machine", "test", "--json", "-");

        code.Should().Be(0);
        var root = System.Text.Json.JsonDocument.Parse(output).RootElement;
        root.GetProperty("schema").GetString().Should().Be("gpuosspec.report/1");
        root.GetProperty("runs").EnumerateArray().Single().GetProperty("workload").GetString().Should().Be("launch-storm");
        err.Should().Contain("## launch-storm", "the Markdown goes to stderr when stdout has the JSON");
    }

    [Theory]
    [InlineData("cannot write /nonexistent-gpuosspec/out.json: the folder /nonexistent-gpuosspec does not exist", "run", "launch-storm", "--backend", "cpu", "--smoke", "--json", "/nonexistent-gpuosspec/out.json")]
    [InlineData("cannot write /nonexistent-gpuosspec/out.json: the folder /nonexistent-gpuosspec does not exist", "map", "--quick", "--backend", "cpu", "--json", "/nonexistent-gpuosspec/out.json")]
    [InlineData("cannot write /nonexistent-gpuosspec/out.json: the folder /nonexistent-gpuosspec does not exist", "evaluate", "--quick", "--backend", "cpu", "--json", "/nonexistent-gpuosspec/out.json")]
    [InlineData("cannot write /nonexistent-gpuosspec/out.json: the folder /nonexistent-gpuosspec does not exist", "trace", "--source", "proc", "--json", "/nonexistent-gpuosspec/out.json", "--", "/bin/true")]
    [InlineData("--json /tmp is a folder. Fix: give a file name, or - for stdout", "backends", "--json", "/tmp")]
    [InlineData("is a file", "map", "--quick", "--backend", "cpu", "--out", "/etc/hostname")]
    [InlineData("is a file", "evaluate", "--quick", "--backend", "cpu", "--out", "/etc/hostname")]
    [InlineData("is a file", "map", "merge", "/etc/hostname", "--out", "/etc/hostname")]
    [InlineData("the folder /nonexistent-gpuosspec does not exist", "run", "launch-storm", "--backend", "cpu", "--smoke", "--perfetto", "/nonexistent-gpuosspec/p.json")]
    [InlineData("is a folder", "baseline", "record", "--out", "/tmp", "--", "/bin/true")]
    [InlineData("the folder /nonexistent-gpuosspec does not exist", "report", "/etc/hostname", "--output", "/nonexistent-gpuosspec/r.md")]
    public void Every_output_is_checked_before_any_work(string problem, params string[] args)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        var (code, output, err) = Gpuosspec(args);

        code.Should().Be(2);
        err.Should().Contain(problem).And.Contain("Fix:");
        output.Should().BeEmpty("nothing ran");
        // The runs these verbs start take seconds; refusing first takes milliseconds (5 s allows a loaded machine).
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }
}
