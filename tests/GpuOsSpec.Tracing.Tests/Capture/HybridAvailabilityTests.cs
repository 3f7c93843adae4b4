using GpuOsSpec.Tracing.Platform.Bpf;
using GpuOsSpec.Tracing.Platform.Interop;
using GpuOsSpec.Tracing.Sources.Perf;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>
/// Where hybrid mode's eBPF cannot load (no libbpf, no kernel BTF, no capabilities, an assembly built without its
/// object), `gpuosspec sources` and the capture say what is missing and the fix, and commands fall back to full mode.
/// The machine's own libbpf and BTF are replaced by paths that do not exist.
/// </summary>
public class HybridAvailabilityTests
{
    private const string NoLibrary = "libbpf-absent-for-a-test.so.1";
    private const string NoBtf = "/nonexistent/sys/kernel/btf/vmlinux";

    // A library every Linux machine has: the BTF check comes after the library's.
    private const string AnyLibrary = "libc.so.6";

    [Fact]
    public void Hybrid_mode_without_libbpf_is_unavailable_with_the_package_to_install()
    {
        var check = PerfEventSource.CheckHybrid(NoLibrary, BpfSupport.KernelBtf, BpfSyscallCounter.ObjectResource);

        check.Available.Should().BeFalse();
        check.Missing.Should().Contain(NoLibrary).And.Contain("cannot be loaded");
        check.Fix.Should().Contain("apt-get install libbpf1").And.Contain("--mode full");
    }

    [Fact]
    public void Hybrid_mode_without_the_kernels_BTF_is_unavailable_with_the_kernel_option_that_gives_it()
    {
        var check = PerfEventSource.CheckHybrid(AnyLibrary, NoBtf, BpfSyscallCounter.ObjectResource);

        check.Available.Should().BeFalse();
        check.Missing.Should().Contain(NoBtf).And.Contain("CO-RE");
        check.Fix.Should().Contain("CONFIG_DEBUG_INFO_BTF");
    }

    [Fact]
    public void Hybrid_mode_from_a_build_without_its_eBPF_object_is_unavailable_with_the_tools_to_rebuild_with()
    {
        var check = PerfEventSource.CheckHybrid(AnyLibrary, BpfSupport.KernelBtf, "GpuOsSpec.Tracing.Bpf.absent.bpf.o");

        check.Available.Should().BeFalse();
        check.Missing.Should().Contain("holds no eBPF object");
        check.Fix.Should().Contain("apt-get install clang bpftool libbpf-dev and rebuild");
    }

    [Fact]
    public void This_build_embeds_the_syscall_counter()
    {
        typeof(BpfSyscallCounter).Assembly.GetManifestResourceInfo(BpfSyscallCounter.ObjectResource)
            .Should().NotBeNull("the build compiles src/GpuOsSpec.Tracing/Bpf/syscall_counter.bpf.c into the assembly (clang and bpftool are installed where the tests run)");
    }

    [Fact]
    public void The_counter_without_libbpf_refuses_hybrid_mode_with_the_fix_and_the_way_out()
    {
        bool opened = false;
        var act = () => new BpfSyscallCounter([], [], () =>
        {
            opened = true;
            throw new InvalidOperationException("never reached");
        }, library: NoLibrary);

        act.Should().Throw<BpfUnavailableException>()
            .Which.Message.Should().Contain(NoLibrary).And.Contain("Fix: apt-get install libbpf1").And.EndWith("or use --mode full.");
        opened.Should().BeFalse("the requirements are checked before libbpf is called");
    }

    [Fact]
    public void The_counter_without_kernel_BTF_refuses_hybrid_mode_with_the_kernel_option()
    {
        var act = () => new BpfSyscallCounter([], [], () => throw new InvalidOperationException("never reached"), library: AnyLibrary, btf: NoBtf);

        act.Should().Throw<BpfUnavailableException>()
            .Which.Message.Should().Contain("CONFIG_DEBUG_INFO_BTF").And.EndWith("or use --mode full.");
    }

    [Theory]
    [InlineData("CapEff:\t000001ffffffffff", true)]
    [InlineData("CapEff:\t000000c000000000", true)]
    [InlineData("CapEff:\t0000000000200000", true)]
    [InlineData("CapEff:\t0000008000000000", false)]
    [InlineData("CapEff:\t0000004000000000", false)]
    [InlineData("CapEff:\t0000000000000000", false)]
    public void Loading_eBPF_needs_CAP_BPF_with_CAP_PERFMON_or_CAP_SYS_ADMIN(string capEff, bool privileged)
    {
        BpfSupport.Privileged($"Name:\tgpuosspec\nCapInh:\t0000000000000000\n{capEff}\nCapBnd:\t000001ffffffffff\n").Should().Be(privileged);
    }

    [Fact]
    public void Without_a_capability_line_the_kernel_is_left_to_answer()
    {
        BpfSupport.Privileged("").Should().BeTrue("with no /proc to read, the kernel's EPERM at load says it, with the same fix");
    }

    [Fact]
    public void Without_the_capabilities_hybrid_mode_is_unavailable_with_the_ones_to_grant()
    {
        var missing = BpfSupport.Missing(AnyLibrary, "/proc/self/status", status: "CapEff:\t0000000000000000\n");

        missing.Should().NotBeNull();
        missing!.Value.Missing.Should().Contain("CAP_BPF and CAP_PERFMON");
        missing.Value.Fix.Should().Contain("run as root, or grant CAP_BPF and CAP_PERFMON");
    }

    [Fact]
    public void The_libbpf_name_is_the_soname_the_runtime_package_installs()
    {
        Libbpf.LibraryName.Should().Be("libbpf.so.1", "Debian's libbpf1 installs libbpf.so.1; libbpf.so comes only with libbpf-dev");
    }
}
