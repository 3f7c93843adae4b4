namespace GpuOsSpec.Tracing.Checks;

/// <summary>The scopes a rule judges, or why there are none.</summary>
/// <param name="Scopes">The steady phases (or the whole run), each with its warm runs.</param>
/// <param name="Why">Why <paramref name="Scopes"/> is empty; null when it is not.</param>
public sealed record PhaseSelection(IReadOnlyList<CheckScope> Scopes, string? Why);
