namespace GpuOsSpec.Specs.Memory;

[Hypothesis("Device memory is mapped while a context is set up; the steady phase changes no mapping of a device", Role = "memory", Axis = "phase")]
public sealed class DeviceMappingsOnlyInSetup(GpuContextFixture gpu) : SpecBase(gpu)
{
    private static readonly IReadOnlyDictionary<string, Expected> s_setupMappings = Vendors.Same(
        Expected.AtLeast(1, "the driver maps device memory (doorbells, queues) into the process"),
        ("cpu", Expected.None("the CPU backend maps no device")),
        ("opencl-pocl", Expected.None("PoCL on the CPU maps no device")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public void Device_mappings_change_in_setup_only(string backend)
    {
        var (t, vendor) = SetupThenSteady(backend, 2_000);
        var expected = For(vendor, s_setupMappings);

        long setup = t.Phase("setup").MappingChanges.LongCount(m => m.Device is { } d && d.StartsWith("/dev/", StringComparison.Ordinal));
        setup.Should().BeInRange((long)expected.Min, expected.Max >= long.MaxValue ? long.MaxValue : (long)expected.Max, expected.Why);
        t.Phase("steady").Should().HaveNoDeviceMappingChanges("launching maps nothing new");
    }
}
