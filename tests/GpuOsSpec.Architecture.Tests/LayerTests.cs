using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace GpuOsSpec.Architecture.Tests;

/// <summary>
/// The layers of each assembly point one way: a layer may use the layers below it, never one above. Each layer is a
/// folder and a namespace. A rule that fails names the type and the dependency that crossed upward.
/// </summary>
public class LayerTests
{
    private static readonly ArchUnitNET.Domain.Architecture s_architecture = new ArchLoader()
        .LoadAssemblies(typeof(GpuOsSpec.Tracing.Model.Trace).Assembly, typeof(GpuOsSpec.Fixtures.GpuContextFixture).Assembly,
            typeof(GpuOsSpec.Workloads.Backends.IGpuBackend).Assembly)
        .LoadFilteredDirectory(Path.GetDirectoryName(CliAssembly())!, "gpuosspec.dll")
        .Build();

    // The command's assembly, from its own build folder beside this one's (tests/X/bin/CONFIG/TFM ->
    // src/GpuOsSpec.Cli/bin/CONFIG/TFM).
    private static string CliAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName, "src", "GpuOsSpec.Cli", "bin", here.Parent.Name, here.Name, "gpuosspec.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The command's assembly is not built at {path}: build the solution first.", path);
    }

    /// <summary>GpuOsSpec.Tracing from the bottom up; Export, Baselines and Checks (the rules of gpuosspec check) stand
    /// on the model alone.</summary>
    public static TheoryData<string, string> TracingLayers() => Pairs(
        [
            "GpuOsSpec.Tracing.Statistics",
            "GpuOsSpec.Tracing.Platform",
            "GpuOsSpec.Tracing.Model",
            "GpuOsSpec.Tracing.Decoding",
            "GpuOsSpec.Tracing.Sources",
            "GpuOsSpec.Tracing.Building",
            "GpuOsSpec.Tracing.Sessions",
        ],
        top: ["GpuOsSpec.Tracing.Export", "GpuOsSpec.Tracing.Baselines", "GpuOsSpec.Tracing.Checks"],
        modelOnly: ["GpuOsSpec.Tracing.Export", "GpuOsSpec.Tracing.Baselines", "GpuOsSpec.Tracing.Checks"]);

    [Theory]
    [MemberData(nameof(TracingLayers))]
    public void A_tracing_layer_uses_no_layer_above_it(string layer, string above) => NoUse(layer, above);

    /// <summary>The xUnit plugin from the bottom up: artifacts, the running case, runtime threads, requirements, a
    /// spec's capture, contexts, scaling, assertions, then xUnit's extensibility.</summary>
    public static TheoryData<string, string> PluginLayers() => Pairs(
        ["GpuOsSpec.Reports", "GpuOsSpec.Cases", "GpuOsSpec.Threads", "GpuOsSpec.Requirements", "GpuOsSpec.Capture", "GpuOsSpec.Fixtures", "GpuOsSpec.Scaling", "GpuOsSpec.Assertions", "GpuOsSpec.Xunit"], top: [], modelOnly: []);

    [Theory]
    [MemberData(nameof(PluginLayers))]
    public void A_plugin_layer_uses_no_layer_above_it(string layer, string above) => NoUse(layer, above);

    /// <summary>The command from the bottom up: what it renders and reads, traced runs, the map, the evaluation, the
    /// reliability runs, check's rules files and reports, then the verbs.</summary>
    public static TheoryData<string, string> CliLayers() => Pairs(
        ["GpuOsSpec.Cli.Reports", "GpuOsSpec.Cli.Runs", "GpuOsSpec.Cli.Map", "GpuOsSpec.Cli.Evaluation", "GpuOsSpec.Cli.Reliability", "GpuOsSpec.Cli.Checks", "GpuOsSpec.Cli.Commands"], top: [], modelOnly: []);

    [Theory]
    [MemberData(nameof(CliLayers))]
    public void A_command_layer_uses_no_layer_above_it(string layer, string above) => NoUse(layer, above);

    [Theory]
    [InlineData("GpuOsSpec.Tracing", "Xunit")]
    [InlineData("GpuOsSpec.Tracing", "GpuOsSpec.Workloads")]
    [InlineData("GpuOsSpec.Tracing", "GpuOsSpec.Fixtures")]
    [InlineData("GpuOsSpec.Workloads", "Xunit")]
    [InlineData("GpuOsSpec.Workloads", "GpuOsSpec.Tracing")]
    public void An_assembly_knows_nothing_it_must_not(string assembly, string forbidden) => NoUse(assembly, forbidden);

    private static void NoUse(string layer, string other)
    {
        var types = Types().That().ResideInNamespaceOrBelow(layer);
        types.Should().NotDependOnAny(Types().That().ResideInNamespaceOrBelow(other))
            .Because($"{layer} is below {other}").Check(s_architecture);
    }

    // Every (layer, a layer above it) pair; the top layers may use every ordered layer except those modelOnly forbids.
    private static TheoryData<string, string> Pairs(string[] ordered, string[] top, string[] modelOnly)
    {
        var data = new TheoryData<string, string>();
        for (int i = 0; i < ordered.Length; i++)
        {
            foreach (string above in ordered.Skip(i + 1).Concat(top))
            {
                data.Add(ordered[i], above);
            }
        }
        foreach (string t in modelOnly)
        {
            foreach (string above in ordered.SkipWhile(l => l != "GpuOsSpec.Tracing.Model").Skip(1).Concat(top.Where(x => x != t)))
            {
                data.Add(t, above);
            }
        }
        return data;
    }
}
