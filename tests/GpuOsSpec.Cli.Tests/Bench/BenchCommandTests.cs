using System.Text.Json;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Bench;

/// <summary>
/// `gpuosspec bench overhead` refuses bad input before any work, and its JSON holds every variant with exact counts.
/// Its timings are printed, never judged.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("--calls", "0")]
    [InlineData("--repeat", "0")]
    public void A_count_that_is_not_positive_is_refused_before_any_work(string option, string value)
    {
        var (code, output, err) = Support.Cli.Run("bench", "overhead", option, value);

        code.Should().Be(2);
        err.Should().Contain("--calls and --repeat must be positive");
        output.Should().BeEmpty("nothing is run or printed before the refusal");
    }

    [Fact]
    public void An_odd_number_of_markers_is_refused_with_why()
    {
        var (code, _, err) = Support.Cli.Run("bench", "overhead", "--markers", "3");

        code.Should().Be(2);
        err.Should().Contain("--markers must be an even number, 0 or more (each phase is a begin and an end marker); it was 3");
    }

    [Fact]
    public void A_json_file_in_a_folder_that_does_not_exist_is_refused_before_any_work()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"gpuosspec-no-such-folder-{Guid.NewGuid():N}", "bench.json");

        var (code, _, err) = Support.Cli.Run("bench", "overhead", "--json", missing);

        code.Should().Be(2);
        err.Should().Contain("the folder").And.Contain("does not exist");
    }

    [Fact]
    public void A_gpuos_library_that_is_no_library_is_refused_before_any_work()
    {
        var (code, _, err) = Support.Cli.Run("bench", "overhead", "--gpuos-library", "/dev/null");

        code.Should().Be(2);
        err.Should().Contain("--gpuos-library:").And.Contain("/dev/null");
    }

    [SkippableFact]
    public void The_json_holds_every_variant_with_exact_counts_and_each_anchor_run_or_said_not_run()
    {
        Requires.Hybrid();

        var (code, output, err) = Support.Cli.Run("bench", "overhead", "--calls", "20000", "--repeat", "1", "--markers", "200", "--anchors",
            "--storm", NativePrograms.Storm, "--gpuos-library", NativePrograms.GpuOsLibrary, "--json", "-");

        code.Should().Be(0, err);
        var root = JsonDocument.Parse(output).RootElement;
        root.GetProperty("schema").GetString().Should().Be("gpuosspec.bench/1");
        var storms = root.GetProperty("storms").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        storms.Keys.Should().Equal("syscalls", "markers");
        var syscalls = Variants(storms["syscalls"]);
        syscalls.Keys.Should().Equal("untraced", "hybrid", "hybrid-markers", "full", "full-paired", "perf-stat", "perf-record", "strace");
        Exact(syscalls["full-paired"], 20000);
        foreach (string mode in new[] { "hybrid", "full" })
        {
            Exact(syscalls[mode], 20000);
            Exact(Variants(storms["markers"])[mode], 200);
        }
        Exact(syscalls["hybrid-markers"], 20000);
        foreach (var anchor in new[] { "perf-stat", "perf-record", "strace" }.Select(a => syscalls[a]))
        {
            // Run with a time, or not run with the reason and no time: never a time of 0 standing for "not run".
            if (anchor.GetProperty("run").GetBoolean())
            {
                anchor.GetProperty("timeMs").ValueKind.Should().Be(JsonValueKind.Object);
            }
            else
            {
                anchor.GetProperty("notRun").GetString().Should().NotBeNullOrEmpty();
                anchor.GetProperty("timeMs").ValueKind.Should().Be(JsonValueKind.Null);
            }
        }
        err.Should().Contain("round 1/1 done").And.Contain("| gpuosspec perf hybrid |", "the table goes to stderr when the JSON has stdout");
    }

    private static Dictionary<string, JsonElement> Variants(JsonElement storm) =>
        storm.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);

    private static void Exact(JsonElement variant, long expected)
    {
        variant.GetProperty("notRun").ValueKind.Should().Be(JsonValueKind.Null, variant.GetProperty("notRun").ToString());
        var counts = variant.GetProperty("counts");
        counts.GetProperty("expected").GetInt64().Should().Be(expected);
        counts.GetProperty("min").GetInt64().Should().Be(expected);
        counts.GetProperty("max").GetInt64().Should().Be(expected);
        counts.GetProperty("lost").GetInt64().Should().Be(0);
        counts.GetProperty("exact").GetBoolean().Should().BeTrue();
    }
}
