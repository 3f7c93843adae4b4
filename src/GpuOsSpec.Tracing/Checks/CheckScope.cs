namespace GpuOsSpec.Tracing.Checks;

/// <summary>What a rule judges: a steady phase's warm runs, or the whole run of a program that marks no
/// phases.</summary>
/// <param name="Name">The phase path, or <see cref="WholeRun"/>.</param>
/// <param name="View">The view: the phase's warm runs (default thread origins), or the whole capture.</param>
/// <param name="Runs">How often the phase ran (1 for the whole run).</param>
/// <param name="WarmRuns">The runs judged: all but the warm-up runs.</param>
public sealed record CheckScope(string Name, TraceView View, int Runs, int WarmRuns)
{
    /// <summary>The name of the whole-run scope.</summary>
    public const string WholeRun = "(whole run)";

    /// <summary>True for the whole run of a program without phases.</summary>
    public bool IsWhole => Name == WholeRun;

    /// <summary>The view's wall time in milliseconds (the judged runs, summed).</summary>
    public double WallMs => View.WallNs() / 1e6;
}
