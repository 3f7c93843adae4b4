namespace GpuOsSpec.Tracing.Checks;

/// <summary>A setting of a rule beyond its threshold (a window length, say), which a rules file may set.</summary>
/// <param name="Name">Its name in the rules file (camelCase).</param>
/// <param name="Default">The value when the rules file does not set it.</param>
/// <param name="Description">What it means, with its unit.</param>
public sealed record RuleParameter(string Name, double Default, string Description);
