using Xunit;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>
/// A theory over GPU backends: with <see cref="BackendsAttribute"/> each backend is a case whose first argument is its
/// name; an absent backend is a skipped case giving the reason (never a vanished one), or a failure under
/// GPUOSSPEC_REQUIRE.
/// </summary>
[XunitTestCaseDiscoverer("GpuOsSpec.Xunit." + nameof(GpuTheoryDiscoverer), "GpuOsSpec")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class GpuTheoryAttribute : TheoryAttribute
{
    /// <summary>Devices each backend must have.</summary>
    public int MinDevices { get; set; } = 1;

    /// <summary>Capture sources that must be permitted: <c>Sources = new[] { CaptureSourceKind.Perf }</c>.</summary>
    public CaptureSourceKind[] Sources { get; set; } = [];
}
