using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>
/// A test case that checks its GPU requirements when it runs: met, it runs; missing, it is skipped with the reason;
/// missing but named in GPUOSSPEC_REQUIRE (or asked for by an unknown name), it fails with the reason. It serializes
/// all its state, so runners that discover and execute in separate steps see the same case. A case that finds at run
/// time that it cannot measure on its backend calls <see cref="Capture.GpuSpec.Skip"/> and is reported as skipped.
/// </summary>
public sealed class GpuTestCase : XunitTestCase
{
    private GpuRequirements _requirements = GpuRequirements.None;

    /// <summary>For the deserializer.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public GpuTestCase()
    {
    }

    /// <summary>Creates a test case.</summary>
    public GpuTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions,
        ITestMethod testMethod, object[]? testMethodArguments, GpuRequirements requirements)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod, testMethodArguments)
    {
        _requirements = requirements;
        AddTraits();
    }

    /// <summary>What the case needs.</summary>
    public GpuRequirements Requirements => _requirements;

    /// <inheritdoc/>
    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        var missing = _requirements.FirstMissing();
        if (missing is { } m)
        {
            bool required = RequiredItems.Current.Contains(m.Item);
            if (!required && !_requirements.IsSpecError)
            {
                return await new XunitTestCaseRunner(this, DisplayName, m.Reason, constructorArguments, TestMethodArguments, messageBus, aggregator, cancellationTokenSource).RunAsync();
            }
            aggregator.Add(new GpuRequirementException(_requirements.IsSpecError
                ? $"Spec error: {m.Reason}."
                : $"{RequiredItems.Variable} requires {m.Item}, but {m.Reason}. A required item that is missing fails instead of skipping."));
        }
        var bus = new SkipTranslatingMessageBus(messageBus);
        var arguments = (TestMethodArguments ?? []).Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "null").ToList();
        string name = $"{TestMethod.TestClass.Class.Name.Split('.')[^1]}.{TestMethod.Method.Name}" + (arguments.Count > 0 ? $"[{string.Join(",", arguments)}]" : "");
        RunSummary summary;
        using (CurrentTest.Enter(name, TestMethod.TestClass.Class.Name, arguments))
        {
            summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        }
        summary.Failed -= bus.Skipped;
        summary.Skipped += bus.Skipped;
        return summary;
    }

    /// <inheritdoc/>
    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("Backend", _requirements.Backend);
        data.AddValue("MinDevices", _requirements.MinDevices);
        data.AddValue("Sources", string.Join(",", _requirements.Sources));
    }

    /// <inheritdoc/>
    public override void Deserialize(IXunitSerializationInfo data)
    {
        _requirements = new GpuRequirements(
            data.GetValue<string>("Backend"),
            data.GetValue<int>("MinDevices"),
            (data.GetValue<string>("Sources") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<CaptureSourceKind>).ToList());
        base.Deserialize(data);
        AddTraits();
    }

    /// <inheritdoc/>
    protected override string GetUniqueID() => $"{base.GetUniqueID()}|{_requirements.Backend}|{_requirements.MinDevices}|{string.Join(",", _requirements.Sources)}";

    private void AddTraits()
    {
        if (_requirements.Backend is { } backend)
        {
            if (!Traits.TryGetValue("backend", out var values))
            {
                Traits["backend"] = values = [];
            }
            if (!values.Contains(backend))
            {
                values.Add(backend);
            }
        }
    }
}
