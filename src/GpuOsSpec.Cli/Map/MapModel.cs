namespace GpuOsSpec.Cli.Map;

/// <summary>The interaction map (schema gpuosspec.map/1): machines, their backends, one cell per workload and backend,
/// and findings.</summary>
internal sealed record MapModel(string Schema, IReadOnlyList<MapMachine> Machines, IReadOnlyList<MapCell> Cells, IReadOnlyList<MapFinding> Findings)
{
    internal const string CurrentSchema = "gpuosspec.map/1";

    /// <summary>The metrics every cell fits, in the order reports show them.</summary>
    internal static IReadOnlyList<string> Metrics { get; } =
    [
        "syscalls", "memory", "submission/control", "synchronization", "scheduling", "device/file I/O", "other",
        "voluntary switches", "involuntary switches", "minor faults", "major faults", "wall us",
    ];
}

/// <summary>Where a map's runs were made.</summary>
internal sealed record MapMachine(string Name, string Kernel, int Cpus, string Date, IReadOnlyList<MapBackend> Backends);

/// <summary>A backend target on a machine.</summary>
internal sealed record MapBackend(string Key, string Target, string Vendor, string Device, string Driver);

/// <summary>One workload on one backend: its points and fits, or why it failed.</summary>
internal sealed record MapCell(string Workload, string Backend, string Unit, string Status, string? Reason,
    IReadOnlyList<MapPoint> Points, IReadOnlyDictionary<string, MapFit> Fits);

/// <summary>The steady phase's figures at one size.</summary>
internal sealed record MapPoint(double Size, IReadOnlyDictionary<string, double> Metrics);

/// <summary>fixed + marginal x size.</summary>
/// <remarks>MarginalLow and MarginalHigh: the slope's 95 % confidence
/// interval, NaN (null in JSON) where it is not known.</remarks>
internal sealed record MapFit(double Fixed, double Marginal, double RSquared, double MarginalLow = double.NaN, double MarginalHigh = double.NaN);

/// <summary>Whether a workload's marginal cost in one metric is the same on every backend or depends on the
/// vendor.</summary>
internal sealed record MapFinding(string Workload, string Metric, string Verdict, IReadOnlyDictionary<string, double> Marginals);
