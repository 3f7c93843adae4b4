namespace GpuOsSpec.Cases;

/// <summary>A spec's requirement is missing and GPUOSSPEC_REQUIRE (or a spec error) turns the skip into a
/// failure.</summary>
public sealed class GpuRequirementException(string message) : Exception(message);
