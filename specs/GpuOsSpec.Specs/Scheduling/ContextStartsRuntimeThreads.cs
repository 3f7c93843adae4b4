namespace GpuOsSpec.Specs.Scheduling;

[Hypothesis("Context creation starts runtime threads; the steady phase starts none", Role = "scheduling", Axis = "phase")]
public sealed class ContextStartsRuntimeThreads(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly IReadOnlyDictionary<string, Expected> s_setupThreads = Vendors.Same(
        Expected.AtLeast(1, "the runtime starts its own helper threads for a context"),
        ("cpu", Expected.AtLeast(1, "each CPU-backend stream is a worker thread")),
        // PoCL starts its workers when the platform first loads (at discovery), which is before any context.
        ("opencl-pocl", Expected.None("PoCL's workers start with the platform, before the context")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Threads_start_in_setup_only(string backend)
    {
        var (t, vendor) = SetupThenSteady(backend, 2_000);
        var expected = For(vendor, s_setupThreads);

        if (expected.Max == 0)
        {
            t.Phase("setup").Should().StartNoThreads(expected.Why);
        }
        else
        {
            t.Phase("setup").Should().StartAtLeastThreads((long)expected.Min, expected.Why);
        }
        t.Phase("steady").Should().StartNoThreads("a warm context needs no new thread to launch");
    }
}
