using System.Text.Json.Serialization;

namespace GpuOsSpec.Tracing.Baselines;

/// <summary>One figure of a profile: in a scope (the whole capture, or a phase path), per run of that scope.</summary>
/// <param name="Scope">"(whole)" or a phase path.</param>
/// <param name="Kind">What is counted or timed.</param>
/// <param name="Name">The syscall, ioctl, role, API function, fault kind or thread origin ("" where the kind has one
/// figure).</param>
/// <param name="PerRun">The figure divided by the scope's runs: the median over the recorded runs of
/// the command.</param>
/// <param name="Max">The largest per-run figure among the recorded runs (equal to
/// <paramref name="PerRun"/> after one).</param>
public sealed record BaselineEntry(string Scope, BaselineKind Kind, string Name, double PerRun, double Max)
{
    /// <summary>The key entries are matched by.</summary>
    [JsonIgnore]
    public (string Scope, BaselineKind Kind, string Name) Key => (Scope, Kind, Name);

    /// <summary>True for the figures in nanoseconds, which are held by the time rule rather than the count
    /// rule.</summary>
    [JsonIgnore]
    public bool IsTime => Kind is BaselineKind.WallTime or BaselineKind.CpuTime;
}
