namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>A steady phase neither maps nor unmaps memory (mmap, munmap, mremap); changing protection or advice is
/// left to the allocator.</summary>
public sealed class SteadyNoMapping : SteadySyscallsRule
{
    /// <inheritdoc/>
    public override string Id => "steady-no-mapping";

    /// <inheritdoc/>
    public override string Title => "A steady phase neither maps nor unmaps memory";

    /// <inheritdoc/>
    public override string Basis =>
        "Hypotheses \"Device memory is mapped while a context is set up; the steady phase changes no mapping of a device\" (specs/Memory/DeviceMappingsOnlyInSetup.cs) " +
        "and \"Allocation goes through driver calls in the memory role; a launch does not\" (specs/Memory/AllocationGoesThroughTheDriver.cs)";

    /// <inheritdoc/>
    protected override string What => "memory mappings or unmappings";

    /// <inheritdoc/>
    protected override IReadOnlyList<string> Names { get; } = ["mmap", "munmap", "mremap"];
}
