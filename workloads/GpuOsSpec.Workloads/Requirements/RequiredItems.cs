namespace GpuOsSpec.Workloads.Requirements;

/// <summary>
/// GPUOSSPEC_REQUIRE, parsed here once for the plugin, the CLI and the tests: a comma-separated list of backends and
/// capture sources (cuda,opencl,perf). A spec that needs a listed item which is missing fails instead of skipping, so a
/// GPU runner that lost its GPU cannot pass by skipping.
/// </summary>
public static class RequiredItems
{
    /// <summary>The environment variable's name.</summary>
    public const string Variable = "GPUOSSPEC_REQUIRE";

    /// <summary>The items required now.</summary>
    public static IReadOnlySet<string> Current => Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Parses a GPUOSSPEC_REQUIRE value.</summary>
    public static IReadOnlySet<string> Parse(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => v.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
}
