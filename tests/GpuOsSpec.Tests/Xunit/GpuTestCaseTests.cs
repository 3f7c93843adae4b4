using GpuOsSpec.Requirements;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Workloads.Requirements;
using GpuOsSpec.Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Xunit;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RequirementCollection
{
    public const string Name = "requirements (replace discovery and GPUOSSPEC_REQUIRE)";
}

/// <summary>Runs real GpuTestCases against a stand-in machine and reads what they report.</summary>
[Collection(RequirementCollection.Name)]
public sealed class GpuTestCaseTests : IDisposable
{
    private readonly string? _savedRequire = Environment.GetEnvironmentVariable(RequiredItems.Variable);
    private readonly Func<string, BackendAvailability> _savedDiscovery = GpuRequirements.Discovery;
    private readonly Func<CaptureSourceKind, CapabilityCheck> _savedSourceCheck = GpuRequirements.SourceCheck;

    public GpuTestCaseTests()
    {
        // The stand-in machine: cpu and opencl present, cuda absent (no driver), hip absent; perf permitted, strace
        // not.
        GpuRequirements.Discovery = name => name switch
        {
            "cpu" or "opencl" => new BackendAvailability(name, true, null, [new DeviceInfo(0, "dev", 1, "drv")]),
            _ => BackendAvailability.Missing(name, $"library missing: lib{name} could not be loaded (install it)"),
        };
        GpuRequirements.SourceCheck = source => source == CaptureSourceKind.Perf
            ? CapabilityCheck.Ok("perf")
            : CapabilityCheck.Unavailable("strace", "strace is not on PATH", "apt-get install strace");
        Environment.SetEnvironmentVariable(RequiredItems.Variable, null);
    }

    public void Dispose()
    {
        GpuRequirements.Discovery = _savedDiscovery;
        GpuRequirements.SourceCheck = _savedSourceCheck;
        Environment.SetEnvironmentVariable(RequiredItems.Variable, _savedRequire);
    }

    /// <summary>The method the cases under test wrap. xUnit also discovers it on its own: it needs nothing and
    /// passes.</summary>
    public sealed class Samples
    {
        [GpuFact]
        public void Passes()
        {
        }
    }

    /// <summary>Internal, so xUnit does not discover it on its own (it would show as a skipped test in every
    /// run).</summary>
#pragma warning disable xUnit1000 // internal on purpose: only the test below runs it, through a real GpuTestCase
    internal sealed class RuntimeSkipSamples
    {
        [GpuFact]
        public void SkipsAtRunTime() => GpuOsSpec.Capture.GpuSpec.Skip("this backend has no graphs to measure");
    }
#pragma warning restore xUnit1000

    private static async Task<(RunSummary Summary, List<IMessageSinkMessage> Messages)> Run(GpuRequirements requirements, Type? type = null, string method = nameof(Samples.Passes))
    {
        type ??= typeof(Samples);
        var assembly = new TestAssembly(Reflector.Wrap(type.Assembly));
        var collection = new TestCollection(assembly, null, "samples");
        var testClass = new TestClass(collection, Reflector.Wrap(type));
        var testMethod = new TestMethod(testClass, Reflector.Wrap(type.GetMethod(method)!));
        var sink = new MessageCollector();
        var testCase = new GpuTestCase(sink, TestMethodDisplay.Method, TestMethodDisplayOptions.None, testMethod, null, requirements);
        var summary = await testCase.RunAsync(sink, sink, [], new ExceptionAggregator(), new CancellationTokenSource());
        return (summary, sink.Messages);
    }

    [Fact]
    public async Task A_present_backend_runs_the_test()
    {
        var (summary, messages) = await Run(new GpuRequirements("opencl", 1, []));

        (summary.Total, summary.Failed, summary.Skipped).Should().Be((1, 0, 0), string.Join(" | ", messages.OfType<ITestFailed>().SelectMany(f => f.Messages)));
    }

    [Fact]
    public async Task A_case_that_cannot_measure_at_run_time_is_reported_skipped_with_the_reason_never_passed()
    {
        var (summary, messages) = await Run(new GpuRequirements("opencl", 1, []), typeof(RuntimeSkipSamples), nameof(RuntimeSkipSamples.SkipsAtRunTime));

        (summary.Total, summary.Failed, summary.Skipped).Should().Be((1, 0, 1));
        messages.OfType<ITestPassed>().Should().BeEmpty();
        messages.OfType<ITestFailed>().Should().BeEmpty();
        messages.OfType<ITestSkipped>().Single().Reason.Should().Be("this backend has no graphs to measure");
    }

    [Fact]
    public async Task An_absent_backend_skips_with_the_reason()
    {
        var (summary, messages) = await Run(new GpuRequirements("cuda", 1, []));

        summary.Skipped.Should().Be(1);
        messages.OfType<ITestSkipped>().Single().Reason.Should().Be("cuda is unavailable: library missing: libcuda could not be loaded (install it)");
    }

    [Fact]
    public async Task Too_few_devices_skip_with_the_count()
    {
        var (_, messages) = await Run(new GpuRequirements("opencl", 2, []));

        messages.OfType<ITestSkipped>().Single().Reason.Should().Be("opencl has 1 device(s); the spec needs 2");
    }

    [Fact]
    public async Task A_missing_capture_source_skips_with_the_fix()
    {
        var (_, messages) = await Run(new GpuRequirements(null, 0, [CaptureSourceKind.Strace]));

        messages.OfType<ITestSkipped>().Single().Reason.Should().Be("the strace capture source is unavailable: strace is not on PATH. Fix: apt-get install strace");
    }

    [Fact]
    public async Task Gpuosspec_require_turns_the_skip_into_a_failure()
    {
        Environment.SetEnvironmentVariable(RequiredItems.Variable, "cuda,perf");

        var (summary, messages) = await Run(new GpuRequirements("cuda", 1, []));

        (summary.Failed, summary.Skipped).Should().Be((1, 0));
        messages.OfType<ITestFailed>().Single().Messages.Single().Should().Be(
            "GPUOSSPEC_REQUIRE requires cuda, but cuda is unavailable: library missing: libcuda could not be loaded (install it). A required item that is missing fails instead of skipping.");
    }

    [Fact]
    public async Task A_required_capture_source_that_is_missing_fails()
    {
        Environment.SetEnvironmentVariable(RequiredItems.Variable, "strace");

        var (summary, _) = await Run(new GpuRequirements(null, 0, [CaptureSourceKind.Strace]));

        summary.Failed.Should().Be(1);
    }

    [Fact]
    public async Task Requiring_one_backend_does_not_fail_specs_of_another()
    {
        Environment.SetEnvironmentVariable(RequiredItems.Variable, "cuda");

        var (summary, _) = await Run(new GpuRequirements("hip", 1, []));

        summary.Skipped.Should().Be(1);
    }

    [Fact]
    public async Task An_unknown_backend_name_is_a_spec_error_and_fails_even_without_require()
    {
        var (summary, messages) = await Run(new GpuRequirements("nvidia", 1, []));

        summary.Failed.Should().Be(1);
        messages.OfType<ITestFailed>().Single().Messages.Single().Should().Be(
            "Spec error: the spec asks for an unknown backend \"nvidia\"; valid backends: cuda, opencl, hip, cpu.");
    }

    [Fact]
    public void A_test_case_serializes_all_its_state()
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(Samples).Assembly));
        var method = new TestMethod(new TestClass(new TestCollection(assembly, null, "samples"), Reflector.Wrap(typeof(Samples))), Reflector.Wrap(typeof(Samples).GetMethod(nameof(Samples.Passes))!));
        var original = new GpuTestCase(new MessageCollector(), TestMethodDisplay.Method, TestMethodDisplayOptions.None, method, null, new GpuRequirements("cuda", 2, [CaptureSourceKind.Perf, CaptureSourceKind.Strace]));

        var copy = SerializationHelper.Deserialize<GpuTestCase>(SerializationHelper.Serialize(original))!;

        copy.Requirements.Backend.Should().Be("cuda");
        copy.Requirements.MinDevices.Should().Be(2);
        copy.Requirements.Sources.Should().Equal(CaptureSourceKind.Perf, CaptureSourceKind.Strace);
        copy.UniqueID.Should().Be(original.UniqueID);
        copy.Traits["backend"].Should().Equal("cuda");
    }
}
