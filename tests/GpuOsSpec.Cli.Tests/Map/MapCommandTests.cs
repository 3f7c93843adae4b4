using System.Text.Json;
using GpuOsSpec.Cli.Map;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Map;

[Collection(SerialCollection.Name)]
public class MapCommandTests
{
    private static string Temp() => Path.Combine(Path.GetTempPath(), $"gpuosspec-map-{Guid.NewGuid():N}");

    [Theory]
    [InlineData(0.0, -0.01, 0.01, 0.01, 0.0, 0.02, "invariant")]
    [InlineData(0.0, -0.01, 0.01, 1.1, 1.0, 1.2, "vendor-sensitive")]
    [InlineData(0.0, -2.0, 2.0, 1.1, -1.0, 3.0, "unresolved")]
    public void With_intervals_a_verdict_is_given_only_where_they_allow(double m1, double l1, double h1, double m2, double l2, double h2, string verdict)
    {
        MapFindings.Verdict([(m1, l1, h1), (m2, l2, h2)]).Should().Be(verdict);
    }

    [Fact]
    public void Without_intervals_the_verdict_is_unresolved() =>
        MapFindings.Verdict([(0.0, double.NaN, double.NaN), (1.0, double.NaN, double.NaN)]).Should().Be("unresolved");

    [SkippableFact]
    public void Map_quick_writes_markdown_json_and_html_with_every_role()
    {
        Requires.Perf();
        string dir = Temp();

        int code = GpuOsSpec.Cli.Program.Main(["map", "--quick", "--backend", "cpu", "--workload", "launch-storm", "allocation-churn", "--out", dir, "--machine", "test"]);

        code.Should().Be(0);
        string md = File.ReadAllText(Path.Combine(dir, "map.md"));
        foreach (string role in new[] { "memory", "submission/control", "synchronization", "scheduling" })
        {
            md.Should().Contain($"| {role} |");
        }
        File.ReadAllText(Path.Combine(dir, "map.html")).Should().Contain("<img class=\"map-figure\" src=\"plots/launch-storm.svg\"");
        foreach (string workload in new[] { "launch-storm", "allocation-churn" })
        {
            File.ReadAllText(Path.Combine(dir, "plots", workload + ".svg")).Should().Contain("<polyline").And.Contain("data-metric=\"syscalls\"");
        }
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "map.json"))).RootElement;
        root.GetProperty("schema").GetString().Should().Be("gpuosspec.map/1");
        root.GetProperty("cells").EnumerateArray().Should().OnlyContain(c => c.GetProperty("status").GetString() == "ok");
    }

    [SkippableFact]
    public void A_workload_that_fails_on_a_backend_marks_its_cell_and_the_map_is_still_written()
    {
        Requires.Perf();
        string dir = Temp();

        GpuOsSpec.Cli.Program.Main(["map", "--quick", "--backend", "cpu", "--workload", "graph-launch", "launch-storm", "--out", dir]).Should().Be(0);

        var cells = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "map.json"))).RootElement.GetProperty("cells").EnumerateArray().ToList();
        var graph = cells.Single(c => c.GetProperty("workload").GetString() == "graph-launch");
        graph.GetProperty("status").GetString().Should().Be("not supported");
        graph.GetProperty("reason").GetString().Should().Contain("needs graphs (CUDA)");
        cells.Single(c => c.GetProperty("workload").GetString() == "launch-storm").GetProperty("status").GetString().Should().Be("ok");
        File.ReadAllText(Path.Combine(dir, "map.md")).Should().Contain("not supported: graph-launch needs graphs");
    }

    [Fact]
    public void Merge_refuses_a_map_of_another_schema_and_names_the_file()
    {
        string dir = Temp();
        Directory.CreateDirectory(dir);
        string old = Path.Combine(dir, "old.json");
        File.WriteAllText(old, """{"schema":"gpuosspec.map/0","machines":[],"cells":[],"findings":[]}""");

        var act = () => MapMerge.Merge([old]);

        act.Should().Throw<InvalidDataException>().WithMessage($"{old} has schema \"gpuosspec.map/0\"; this gpuosspec merges \"gpuosspec.map/1\" only.*");
    }

    [Fact]
    public void Merge_keeps_machines_apart_and_compares_them_side_by_side()
    {
        string dir = Temp();
        Directory.CreateDirectory(dir);
        string a = Write(dir, "a.json", "h200", "cuda", 0.0);
        string b = Write(dir, "b.json", "mi300", "hip", 2.0);

        var merged = MapMerge.Merge([a, b]);

        merged.Machines.Select(m => m.Name).Should().Equal("h200", "mi300");
        merged.Cells.Select(c => c.Backend).Should().Equal("h200/cuda", "mi300/hip");
        merged.Findings.Single(f => f.Metric == "syscalls").Marginals.Should().BeEquivalentTo(new Dictionary<string, double> { ["h200/cuda"] = 0, ["mi300/hip"] = 2 });
        merged.Findings.Single(f => f.Metric == "syscalls").Verdict.Should().Be("vendor-sensitive");
    }

    [Fact]
    public void Merge_refuses_the_same_machine_twice()
    {
        string dir = Temp();
        Directory.CreateDirectory(dir);
        string a = Write(dir, "a.json", "h200", "cuda", 0.0);
        string b = Write(dir, "b.json", "h200", "cuda", 0.0);

        var act = () => MapMerge.Merge([a, b]);

        act.Should().Throw<InvalidDataException>().WithMessage("*machine \"h200\" is already in the merge; give each machine its own --machine name*");
    }

    private static string Write(string dir, string file, string machine, string target, double marginal)
    {
        var fits = MapModel.Metrics.ToDictionary(m => m, _ => new MapFit(1, marginal, 1, marginal - 0.01, marginal + 0.01));
        var map = new MapModel(MapModel.CurrentSchema,
            [new MapMachine(machine, "6.18", 16, "2026-11-21", [new MapBackend($"{machine}/{target}", target, target, "dev", "drv")])],
            [new MapCell("launch-storm", $"{machine}/{target}", "launch", "ok", null, [new MapPoint(100, new Dictionary<string, double> { ["syscalls"] = 1 })], fits)],
            []);
        string path = Path.Combine(dir, file);
        File.WriteAllText(path, JsonSerializer.Serialize(map, GpuOsSpec.Cli.Reports.ReportJson.Options));
        return path;
    }
}

public class MapJsonTests
{
    [Fact]
    public void A_figure_that_cannot_be_fitted_is_null_in_json_never_the_string_NaN()
    {
        var options = GpuOsSpec.Cli.Reports.ReportJson.Options;
        string json = System.Text.Json.JsonSerializer.Serialize(new GpuOsSpec.Cli.Map.MapFit(1.5, double.NaN, double.NaN), options);

        json.Should().NotContain("NaN").And.Contain("\"marginal\": null").And.Contain("\"rSquared\": null");
        System.Text.Json.JsonSerializer.Deserialize<GpuOsSpec.Cli.Map.MapFit>(json, options)!.Marginal.Should().Be(double.NaN);
        System.Text.Json.JsonSerializer.Deserialize<GpuOsSpec.Cli.Map.MapFit>("""{"fixed": 1, "marginal": "NaN", "rSquared": null}""", options)!
            .Marginal.Should().Be(double.NaN, "maps written before still read");
    }
}
