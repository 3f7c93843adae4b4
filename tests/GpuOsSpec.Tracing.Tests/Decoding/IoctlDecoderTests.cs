using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Tests.Decoding;

public class IoctlDecoderTests
{
    // _IOC(dir, type, nr, size) = dir << 30 | size << 16 | type << 8 | nr
    private static ulong Ioc(uint dir, char type, uint nr, uint size) => (dir << 30) | (size << 16) | ((uint)type << 8) | nr;

    [Theory]
    [InlineData("/dev/nvidiactl", 0x2A, "NV_ESC_RM_CONTROL", SyscallRole.SubmissionControl)]
    [InlineData("/dev/nvidiactl", 0x2B, "NV_ESC_RM_ALLOC", SyscallRole.SubmissionControl)]
    [InlineData("/dev/nvidiactl", 0x29, "NV_ESC_RM_FREE", SyscallRole.SubmissionControl)]
    [InlineData("/dev/nvidiactl", 0x4E, "NV_ESC_RM_MAP_MEMORY", SyscallRole.Memory)]
    [InlineData("/dev/nvidiactl", 0x52, "NV_ESC_RM_GET_EVENT_DATA", SyscallRole.Synchronization)]
    [InlineData("/dev/nvidia0", 200, "NV_ESC_CARD_INFO", SyscallRole.SubmissionControl)]
    [InlineData("/dev/nvidiactl", 0xd7, "NV_ESC_NUMA_INFO", SyscallRole.SubmissionControl)]
    [InlineData("/dev/nvidia0", 201, "NV_ESC_REGISTER_FD", SyscallRole.SubmissionControl)]
    [InlineData("/dev/nvidia3", 218, "NV_ESC_WAIT_OPEN_COMPLETE", SyscallRole.SubmissionControl)]
    public void Nvidia_escapes_are_named_on_nvidiactl_and_nvidiaN(string device, uint nr, string name, SyscallRole role)
    {
        var info = IoctlDecoder.Decode(device, 3, Ioc(3, 'F', nr, 0x20));

        info.Name.Should().Be(name);
        info.Role.Should().Be(role);
        info.Family.Should().Be(DeviceFamily.Nvidia);
    }

    [Theory]
    [InlineData(0x30000001UL, "UVM_INITIALIZE")]
    [InlineData(1UL, "UVM_RESERVE_VA")]
    [InlineData(25UL, "UVM_REGISTER_GPU_VASPACE")]
    [InlineData(27UL, "UVM_REGISTER_CHANNEL")]
    [InlineData(51UL, "UVM_MIGRATE")]
    [InlineData(56UL, "UVM_TOOLS_INIT_EVENT_TRACKER")]
    public void Uvm_requests_are_plain_numbers_on_nvidia_uvm(ulong request, string name)
    {
        IoctlDecoder.Decode("/dev/nvidia-uvm", 5, request).Name.Should().Be(name);
    }

    [Fact]
    public void A_uvm_number_on_another_device_is_not_named_as_uvm()
    {
        IoctlDecoder.Decode("/dev/null", 5, 51).Known.Should().BeFalse();
    }

    [Theory]
    [InlineData(0x02u, 96u, "AMDKFD_IOC_CREATE_QUEUE", SyscallRole.SubmissionControl)]
    [InlineData(0x0Cu, 24u, "AMDKFD_IOC_WAIT_EVENTS", SyscallRole.Synchronization)]
    [InlineData(0x16u, 40u, "AMDKFD_IOC_ALLOC_MEMORY_OF_GPU", SyscallRole.Memory)]
    [InlineData(0x18u, 24u, "AMDKFD_IOC_MAP_MEMORY_TO_GPU", SyscallRole.Memory)]
    [InlineData(0x25u, 16u, "AMDKFD_IOC_RUNTIME_ENABLE", SyscallRole.SubmissionControl)]
    public void Kfd_requests_are_named_on_dev_kfd(uint nr, uint size, string name, SyscallRole role)
    {
        var info = IoctlDecoder.Decode("/dev/kfd", 4, Ioc(3, 'K', nr, size));

        info.Name.Should().Be(name);
        info.Role.Should().Be(role);
    }

    [Fact]
    public void Drm_core_requests_are_named_on_any_dri_node()
    {
        var info = IoctlDecoder.Decode("/dev/dri/renderD128", 7, Ioc(1, 'd', 0x09, 8));

        info.Name.Should().Be("DRM_IOCTL_GEM_CLOSE");
        info.Role.Should().Be(SyscallRole.Memory);
    }

    [Fact]
    public void Amdgpu_commands_are_named_only_when_the_dri_node_belongs_to_amdgpu()
    {
        ulong cs = Ioc(3, 'd', 0x44, 24);

        IoctlDecoder.Decode("/dev/dri/renderD128", 7, cs, "amdgpu").Name.Should().Be("DRM_IOCTL_AMDGPU_CS");
        IoctlDecoder.Decode("/dev/dri/renderD128", 7, cs, "i915").Known.Should().BeFalse();
    }

    [Fact]
    public void An_unknown_request_stays_visible_with_its_device_and_raw_fields()
    {
        var info = IoctlDecoder.Decode("/dev/nvidiactl", 3, Ioc(3, 'F', 0x7F, 0x10));

        info.Known.Should().BeFalse();
        info.DisplayName.Should().Be("ioctl(/dev/nvidiactl, _IOC(RW, 'F', 0x7f, 16))");
        info.Role.Should().Be(SyscallRole.SubmissionControl, "an unnamed request on a GPU device is still driver traffic");
    }

    [Fact]
    public void An_unresolved_fd_is_named_by_number_and_not_guessed()
    {
        var info = IoctlDecoder.Decode(null, 9, Ioc(3, 'F', 0x2A, 0x20));

        info.Device.Should().Be("fd 9");
        info.Known.Should().BeFalse();
        info.Family.Should().Be(DeviceFamily.Unknown);
    }

    [Fact]
    public void The_ioc_fields_are_split_as_asm_generic_defines_them()
    {
        var code = new IoctlCode(0xc020462a);

        (code.Direction, code.Type, code.Number, code.Size).Should().Be((3, 'F', 0x2A, 0x20));
    }
}
