namespace GpuOsSpec.Specs.Submission;

[Hypothesis("Device files are opened and driven while a context is set up; the steady phase opens nothing", Role = "submission", Axis = "phase")]
public sealed class DeviceFilesOpenOnlyInSetup(GpuContextFixture gpu) : SpecBase(gpu)
{
    // Distinct device nodes that receive ioctls while a context is created.
    private static readonly IReadOnlyDictionary<string, Expected> s_setupDevices = Vendors.Same(
        Expected.AtLeast(2, "the driver's control node and the GPU's node are opened for a context"),
        ("cpu", Expected.None("the CPU backend has no device node")),
        // PoCL 5.0 (Debian, on the H200) drives one device node while setting up; PoCL 3.1 on a machine without a GPU
        // none.
        ("opencl-pocl", Expected.AtMost(2, "PoCL on the CPU drives at most a probe of the machine's GPU")));

    // openat calls in the steady phase.
    private static readonly IReadOnlyDictionary<string, Expected> s_steadyOpens = Vendors.Same(
        Expected.None("nothing is opened once the context runs"),
        // Refuted on PoCL: a worker opens files lazily while the first launches of a context run (1 seen, PoCL 3.1).
        ("opencl-pocl", Expected.AtMost(8, "PoCL's workers open files lazily while a new context's first launches run")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Opens_happen_in_setup_and_not_in_steady(string backend)
    {
        var (t, vendor) = SetupThenSteady(backend, 1_000);
        var expected = For(vendor, s_setupDevices);
        var steadyOpens = For(vendor, s_steadyOpens);

        long devices = t.Phase("setup").Ioctls().Where(i => i.Device.StartsWith("/dev/", StringComparison.Ordinal)).Select(i => i.Device).Distinct().LongCount();
        devices.Should().BeInRange((long)expected.Min, expected.Max >= long.MaxValue ? long.MaxValue : (long)expected.Max, expected.Why);
        t.Phase("steady").Should().HaveAtMostCallsTo("openat", (long)steadyOpens.Max, steadyOpens.Why).And.HaveAtMostCallsTo("open", 0);
    }
}
