namespace GpuOsSpec.Tracing.Baselines;

/// <summary>What a profile knows of one scope: how often it ran, and which kinds of figure were measured in it
/// completely.</summary>
/// <param name="Scope">"(whole)" or a phase path.</param>
/// <param name="Runs">Runs of the scope in
/// one run of the command (the median over the recorded runs; 1 for the whole capture).</param>
/// <param name="Measured">
/// The kinds measured completely in the scope. A kind that is missing was not measured (another mode or source, no
/// probes), so the profile holds no figure of it there, and a later run is not held to one: never a zero. </param>
public sealed record BaselineScopeProfile(string Scope, double Runs, IReadOnlyList<BaselineKind> Measured);
