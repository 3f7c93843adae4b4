using Xunit;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>
/// A fact that needs a GPU backend, devices or capture sources. Missing ones skip it with the reason, or fail it when
/// GPUOSSPEC_REQUIRE names them.
/// </summary>
[XunitTestCaseDiscoverer("GpuOsSpec.Xunit." + nameof(GpuFactDiscoverer), "GpuOsSpec")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class GpuFactAttribute : FactAttribute
{
    /// <summary>The backend the fact needs (cuda, opencl, hip, cpu), or null.</summary>
    public string? Backend { get; set; }

    /// <summary>Devices the backend must have (default 1 when a backend is named).</summary>
    public int MinDevices { get; set; } = 1;

    /// <summary>Capture sources that must be permitted: <c>Sources = new[] { CaptureSourceKind.Perf }</c>.</summary>
    public CaptureSourceKind[] Sources { get; set; } = [];
}
