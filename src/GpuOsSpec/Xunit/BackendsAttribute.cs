using System.Reflection;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>
/// Theory data: one row per backend, its name first. With no names, every backend GpuOsSpec knows. "opencl" also adds a
/// row per further OpenCL device found ("opencl:1"), since each OpenCL driver is a vendor of its own.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BackendsAttribute : DataAttribute
{
    /// <summary>Rows for the named backends, or all of them.</summary>
    public BackendsAttribute(params string[] backends) => Names = backends.Length > 0 ? backends : BackendRegistry.Names.ToArray();

    /// <summary>The backends, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <inheritdoc/>
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => Fixtures.BackendTargets.Expand(Names).Select(n => new object[] { n });
}
