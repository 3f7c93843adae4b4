using Xunit.Abstractions;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>Turns <see cref="HypothesisAttribute"/> into traits: hypothesis, role, axis.</summary>
public sealed class HypothesisTraitDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new("hypothesis", traitAttribute.GetConstructorArguments().First() as string ?? "");
        if (traitAttribute.GetNamedArgument<string?>(nameof(HypothesisAttribute.Role)) is { } role)
        {
            yield return new("role", role);
        }
        if (traitAttribute.GetNamedArgument<string?>(nameof(HypothesisAttribute.Axis)) is { } axis)
        {
            yield return new("axis", axis);
        }
    }
}
