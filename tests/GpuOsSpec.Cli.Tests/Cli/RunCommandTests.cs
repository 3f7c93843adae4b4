using System.Text.Json;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

[Collection(SerialCollection.Name)]
public class RunCommandTests
{
    private static (int Code, string Out, string Err) Gpuosspec(params string[] args) => Support.Cli.Run(args);

    [Fact]
    public void Backends_json_names_all_four_with_a_reason_for_each_absent_one()
    {
        var (code, output, _) = Gpuosspec("backends", "--json");

        code.Should().Be(0);
        var backends = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        backends.Select(b => b.GetProperty("name").GetString()).Should().Equal("cuda", "opencl", "hip", "cpu");
        backends.Single(b => b.GetProperty("name").GetString() == "cpu").GetProperty("available").GetBoolean().Should().BeTrue();
        backends.Where(b => !b.GetProperty("available").GetBoolean())
            .Should().OnlyContain(b => b.GetProperty("reason").GetString()!.Length > 0);
    }

    [Fact]
    public void Workloads_json_lists_every_workload_with_its_parameters()
    {
        var (code, output, _) = Gpuosspec("workloads", "--json");

        code.Should().Be(0);
        var workloads = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        workloads.Should().HaveCount(10);
        workloads.Should().OnlyContain(w => w.GetProperty("parameters").GetArrayLength() > 0);
    }

    [SkippableFact]
    public void Run_writes_per_phase_json_with_the_traced_figures()
    {
        Requires.Perf();
        string json = Path.Combine(Path.GetTempPath(), $"gpuosspec-run-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output, _) = Gpuosspec("run", "launch-storm", "--backend", "cpu", "--smoke", "--json", json);

            code.Should().Be(0, output);
            var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
            root.GetProperty("succeeded").GetBoolean().Should().BeTrue();
            var steady = root.GetProperty("phases").EnumerateArray().Single(p => p.GetProperty("path").GetString() == "steady");
            steady.GetProperty("operations").GetProperty("launches").GetInt64().Should().Be(1000);
            steady.GetProperty("nsPerLaunch").GetDouble().Should().BeGreaterThan(0);
            steady.GetProperty("roles").ValueKind.Should().Be(JsonValueKind.Object);
            output.Should().Contain("us per launch");
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Theory]
    [InlineData(new[] { "run", "nope", "--backend", "cpu" }, "Unknown workload \"nope\". Valid workloads: launch-storm")]
    [InlineData(new[] { "run", "launch-storm", "--backend", "nvidia" }, "Unknown backend \"nvidia\". Valid backends: cuda, opencl, hip, cpu.")]
    [InlineData(new[] { "run", "launch-storm", "--backend", "cpu", "--set", "launches" }, "--set takes NAME=VALUE, not \"launches\".")]
    [InlineData(new[] { "run", "launch-storm", "--backend", "cpu", "--set", "sync=fast" }, "sync must be one of auto, spin, yield, blocking, not \"fast\"")]
    [InlineData(new[] { "run", "launch-storm", "--backend", "cpu", "--device", "5" }, "cpu has 1 device(s) (0 to 0); --device 5 does not exist.")]
    public void Bad_input_is_refused_with_what_is_valid(string[] args, string message)
    {
        var (code, _, error) = Gpuosspec(args);

        code.Should().Be(2);
        error.Should().Contain(message);
    }

    [SkippableFact]
    public void A_workload_the_backend_cannot_run_says_why_and_exits_4()
    {
        Requires.Perf();

        var (code, output, _) = Gpuosspec("run", "graph-launch", "--backend", "cpu", "--smoke");

        code.Should().Be(4);
        output.Should().Contain("not supported: graph-launch needs graphs (CUDA); the cpu backend has none");
    }
}
