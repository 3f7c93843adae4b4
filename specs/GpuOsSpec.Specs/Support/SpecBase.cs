using System.Runtime.CompilerServices;

namespace GpuOsSpec.Specs.Support;

/// <summary>What the specs share: warm contexts per class, the launch loop, and per-vendor expectations.</summary>
public abstract class SpecBase : IClassFixture<GpuContextFixture>
{
    protected SpecBase(GpuContextFixture gpu) => Gpu = gpu;

    protected GpuContextFixture Gpu { get; }

    /// <summary>n empty launches on <paramref name="stream"/>, then one sync.</summary>
    protected static void Launch(IGpuContext context, IGpuStream stream, long n)
    {
        var empty = context.Kernels.Empty;
        for (long i = 0; i < n; i++)
        {
            stream.Launch(empty, LaunchShape.Single);
        }
        stream.Synchronize();
    }

    /// <summary>Measures the syscalls (and other metrics) per launch as a slope over 100, 1,000 and 4,000
    /// launches.</summary>
    protected static ScalingResult LaunchScaling(IGpuContext context, IGpuStream? stream = null, string label = "", [CallerMemberName] string spec = "")
    {
        stream ??= context.DefaultStream;
        var s = stream;
        Launch(context, s, 100);
        return Scale.Measure("launch", n => Launch(context, s, n), sizes: [100, 1_000, 4_000], repetitions: 3, label: label, spec: spec);
    }

    /// <summary>
    /// Creates a context inside a trace (phase "setup", with 10 launches), launches <paramref name="steadyLaunches"/>
    /// more in phase "steady", disposes the context and returns the trace and the context's vendor.
    /// </summary>
    protected static (Trace Trace, string Vendor) SetupThenSteady(string backend, long steadyLaunches, [CallerMemberName] string spec = "")
    {
        var target = BackendTarget.Parse(backend);
        IGpuContext context;
        using var trace = GpuSpec.Trace(label: backend, spec: spec);
        using (trace.Phase("setup"))
        {
            context = BackendRegistry.Get(target.Backend).CreateContext(new ContextOptions(SyncMode.Spin, target.Device));
            Launch(context, context.DefaultStream, 10);
        }
        using (trace.Phase("steady"))
        {
            Launch(context, context.DefaultStream, steadyLaunches);
        }
        var t = trace.Stop();
        string vendor = Vendor.Of(context);
        context.Dispose();
        return (t, vendor);
    }

    /// <summary>The expectation written down for a vendor key.</summary>
    protected static Expected For(string vendor, IReadOnlyDictionary<string, Expected> byVendor) => Vendor.Expectation(vendor, byVendor);

    /// <summary>The expectation written down for <paramref name="context"/>'s vendor.</summary>
    protected static Expected For(IGpuContext context, IReadOnlyDictionary<string, Expected> byVendor) => Vendor.Expectation(context, byVendor);

    /// <summary>Asserts that a fit's marginal cost lies in the vendor's expected range.</summary>
    protected static void MarginalWithin(ScalingFit fit, Expected expected)
    {
        if (expected.Max != double.MaxValue)
        {
            fit.Should().HaveMarginalCostAtMost(expected.Max, expected.Why);
        }
        if (expected.Min != double.MinValue)
        {
            fit.Should().HaveMarginalCostAtLeast(expected.Min, expected.Why);
        }
    }
}
