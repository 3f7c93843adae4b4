using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Tests.Backends;

public class DiscoveryTests
{
    [Fact]
    public void Every_backend_is_listed_by_its_name()
    {
        BackendRegistry.Names.Should().Equal("cuda", "opencl", "hip", "cpu");
    }

    [Fact]
    public void An_unknown_backend_is_an_error_listing_the_valid_ones()
    {
        var act = () => BackendRegistry.Get("rocm");

        act.Should().Throw<ArgumentException>().WithMessage("Unknown backend \"rocm\". Valid backends: cuda, opencl, hip, cpu.");
    }

    [SkippableTheory]
    [InlineData("cuda", "libcuda.so.1")]
    [InlineData("hip", "libamdhip64.so")]
    public void A_backend_whose_library_is_absent_says_so_and_how_to_fix_it(string name, string library)
    {
        var backend = BackendRegistry.Get(name);
        Skip.If(System.Runtime.InteropServices.NativeLibrary.TryLoad(library, out _), $"{library} is installed here");

        var found = backend.Discover();

        found.Available.Should().BeFalse();
        found.Reason.Should().StartWith($"library missing: {library} could not be loaded (install ");
        found.Devices.Should().BeEmpty();
    }

    [SkippableFact]
    public void Creating_a_context_on_an_absent_backend_gives_the_reason()
    {
        var backend = BackendRegistry.Get("hip");
        Skip.If(backend.Discover().Available, "hip is available here");

        var act = () => backend.CreateContext(new ContextOptions());

        act.Should().Throw<InvalidOperationException>().WithMessage("The hip backend is unavailable: library missing*");
    }

    [Fact]
    public void The_cpu_backend_is_always_available_with_one_device()
    {
        var found = BackendRegistry.Get("cpu").Discover();

        found.Available.Should().BeTrue();
        found.Devices.Should().ContainSingle();
    }

    [Fact]
    public void A_device_index_out_of_range_is_refused()
    {
        var act = () => BackendRegistry.Get("cpu").CreateContext(new ContextOptions(DeviceIndex: 3));

        act.Should().Throw<ArgumentException>().WithMessage("cpu has 1 device; device 3 does not exist.*");
    }
}
