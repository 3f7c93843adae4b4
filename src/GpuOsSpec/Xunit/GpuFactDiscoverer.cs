using Xunit.Abstractions;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>Discovers <see cref="GpuFactAttribute"/> methods as <see cref="GpuTestCase"/>s.</summary>
public sealed class GpuFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        string? backend = factAttribute.GetNamedArgument<string?>(nameof(GpuFactAttribute.Backend));
        var requirements = new GpuRequirements(backend, backend is null ? 0 : factAttribute.GetNamedArgument<int>(nameof(GpuFactAttribute.MinDevices)),
            factAttribute.GetNamedArgument<CaptureSourceKind[]>(nameof(GpuFactAttribute.Sources)) ?? []);
        if (testMethod.Method.GetParameters().Any())
        {
            yield return new ExecutionErrorTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod, "[GpuFact] methods cannot have parameters; use [GpuTheory] with [Backends].");
            yield break;
        }
        yield return new GpuTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, null, requirements);
    }
}
