using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>
/// Names the hypothesis a spec tests, the role it probes and the axis it varies; they become traits (hypothesis, role,
/// axis) that `dotnet test --filter` can select, and they head the spec's entry in the spec results.
/// </summary>
[TraitDiscoverer("GpuOsSpec.Xunit." + nameof(HypothesisTraitDiscoverer), "GpuOsSpec")]
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class HypothesisAttribute(string statement) : Attribute, ITraitAttribute
{
    /// <summary>The hypothesis, as a sentence.</summary>
    public string Statement { get; } = statement;

    /// <summary>memory, submission, synchronization or scheduling.</summary>
    public string? Role { get; set; }

    /// <summary>The workload axis the spec varies (launch count, sync mode, ...).</summary>
    public string? Axis { get; set; }
}
