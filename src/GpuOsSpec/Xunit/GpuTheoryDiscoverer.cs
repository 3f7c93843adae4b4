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
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        base.Discover(new PreEnumeratingOptions(discoveryOptions), testMethod, theoryAttribute);

    /// <inheritdoc/>
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForTheory(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute)
    {
        // Only reached when the data cannot be enumerated at discovery (not serializable): one case for the whole
        // theory would hide absent backends, so say so instead of running it.
        yield return new ExecutionErrorTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod,
            "[GpuTheory] needs data it can enumerate at discovery ([Backends], or serializable [InlineData]/[MemberData]) so each backend is its own case.");
    }

    /// <inheritdoc/>
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod,
        IAttributeInfo theoryAttribute, object[] dataRow)
    {
        bool byBackend = testMethod.Method.GetCustomAttributes(typeof(BackendsAttribute)).Any();
        var target = byBackend && dataRow.Length > 0 && dataRow[0] is string text ? BackendTarget.Parse(text) : (BackendTarget?)null;
        string? backend = target?.Backend;
        int minDevices = target is { } t ? Math.Max(t.Device + 1, theoryAttribute.GetNamedArgument<int>(nameof(GpuTheoryAttribute.MinDevices))) : 0;
        var requirements = new GpuRequirements(backend, minDevices,
            theoryAttribute.GetNamedArgument<CaptureSourceKind[]>(nameof(GpuTheoryAttribute.Sources)) ?? []);
        return [new GpuTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, dataRow, requirements)];
    }
}
