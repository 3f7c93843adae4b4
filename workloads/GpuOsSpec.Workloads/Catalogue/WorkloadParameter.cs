using System.Globalization;

namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>A named workload parameter with its default, its --smoke value and its valid values.</summary>
/// <param name="Name">The name used with --set NAME=VALUE.</param>
/// <param name="Description">What it controls.</param>
/// <param name="Default">The default value.</param>
/// <param name="Smoke">The value --smoke uses (finishes in seconds).</param>
/// <param name="Kind">How the value is read: int, list (comma-separated ints), or one of (a|b|c).</param>
public sealed record WorkloadParameter(string Name, string Description, string Default, string Smoke, string Kind)
{
    /// <summary>A positive integer parameter.</summary>
    public static WorkloadParameter Int(string name, string description, long @default, long smoke) =>
        new(name, description, @default.ToString(CultureInfo.InvariantCulture), smoke.ToString(CultureInfo.InvariantCulture), "int");

    /// <summary>A comma-separated list of positive integers.</summary>
    public static WorkloadParameter List(string name, string description, string @default, string smoke) =>
        new(name, description, @default, smoke, "list");

    /// <summary>One of a fixed set of words.</summary>
    public static WorkloadParameter OneOf(string name, string description, string @default, params string[] values) =>
        new(name, description, @default, @default, string.Join('|', values));

    /// <summary>The sync-mode parameter every workload that waits has.</summary>
    public static WorkloadParameter Sync(string @default = "auto") =>
        OneOf("sync", "how the host waits: auto, spin, yield or blocking", @default, "auto", "spin", "yield", "blocking");

    /// <summary>Null when <paramref name="value"/> is valid; otherwise what is wrong and what is valid.</summary>
    public string? Validate(string value) => Kind switch
    {
        "int" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0
            ? null : $"{Name} must be a positive integer, not \"{value}\"",
        "list" => value.Split(',').All(v => long.TryParse(v.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0)
            ? null : $"{Name} must be comma-separated positive integers (e.g. {Default}), not \"{value}\"",
        _ => Kind.Split('|').Contains(value) ? null : $"{Name} must be one of {Kind.Replace("|", ", ")}, not \"{value}\"",
    };
}
