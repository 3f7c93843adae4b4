namespace GpuOsSpec.Cli.Map;

/// <summary>How the map grows a workload: which parameter is the size, in what unit, at which sizes, with what else
/// set.</summary>
/// <param name="Workload">The catalogue workload.</param>
/// <param name="Parameter">The parameter that is
/// the size.</param>
/// <param name="Unit">What one unit of size is, for "per unit" figures.</param>
/// <param name="Quick">Sizes for --quick.</param>
/// <param name="Full">Sizes for a full map.</param>
/// <param name="Fixed">Other parameters, set the same at every size.</param>
/// <param name="Scale">Divides the
/// parameter's value into units (bytes to MiB).</param>
internal sealed record MapAxis(string Workload, string Parameter, string Unit, long[] Quick, long[] Full, Dictionary<string, string> Fixed, double Scale = 1)
{
    /// <summary>The axes of the catalogue.</summary>
    internal static IReadOnlyList<MapAxis> All { get; } =
    [
        new("launch-storm", "launches", "launch", [200, 500, 800], [1_000, 4_000, 16_000], new() { ["sync"] = "auto" }),
        new("sync-cadence", "launches", "launch", [200, 500, 800], [1_000, 4_000, 16_000], new() { ["every"] = "10", ["sync"] = "auto" }),
        new("sync-mode", "repeats", "blocking wait", [3, 4, 6], [10, 20, 40], new() { ["kernel_us"] = "200", ["sync"] = "blocking" }),
        new("kernel-duration", "durations_us", "us of kernel", [100, 250, 400], [100, 1_000, 4_000], new() { ["repeats"] = "5", ["sync"] = "auto" }),
        new("submission-cadence", "launches", "paced launch", [50, 75, 100], [200, 400, 800], new() { ["cadence"] = "paced", ["pace_us"] = "100", ["sync"] = "auto" }),
        new("ordering", "launches", "launch", [100, 250, 400], [1_000, 4_000, 16_000], new() { ["streams"] = "4", ["order"] = "events", ["sync"] = "auto" }),
        new("allocation-churn", "allocations", "allocation", [20, 50, 80], [100, 400, 1_600], new() { ["bytes"] = "1048576", ["memory"] = "device" }),
        new("copies", "sizes", "MiB copied", [65_536, 262_144, 1_048_576], [65_536, 1_048_576, 16_777_216], new() { ["memory"] = "pageable", ["repeats"] = "3", ["sync"] = "auto" }, 1_048_576.0 / 6),
        new("mapped-memory", "rounds", "round", [2, 3, 4], [5, 10, 20], new() { ["bytes"] = "1048576", ["sync"] = "auto" }),
        new("graph-launch", "repeats", "repeat of 20 plain + 20 graph kernels", [5, 7, 10], [20, 40, 80], new() { ["kernels"] = "20", ["sync"] = "auto" }),
    ];
}
