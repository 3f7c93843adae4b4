using GpuOsSpec.Requirements;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>
/// Discovers <see cref="GpuTheoryAttribute"/> methods: each data row becomes a <see cref="GpuTestCase"/>; when the
/// method has <see cref="BackendsAttribute"/>, the row's first argument is the backend it requires.
/// </summary>
public sealed class GpuTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc/>
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod,
        IAttributeInfo theoryAttribute, object[] dataRow)
    {
        bool byBackend = testMethod.Method.GetCustomAttributes(typeof(BackendsAttribute)).Any();
        string? backend = byBackend && dataRow.Length > 0 ? dataRow[0] as string : null;
        var requirements = new GpuRequirements(backend, backend is null ? 0 : theoryAttribute.GetNamedArgument<int>(nameof(GpuTheoryAttribute.MinDevices)),
            theoryAttribute.GetNamedArgument<string[]>(nameof(GpuTheoryAttribute.Sources)) ?? []);
        return [new GpuTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, dataRow, requirements)];
    }
}
