using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Syscalls;

namespace GpuOsSpec.Tracing.Tests.Decoding;

public class SyscallTableTests
{
    [Theory]
    [InlineData("ioctl", 16, 29)]
    [InlineData("getppid", 110, 173)]
    [InlineData("openat", 257, 56)]
    [InlineData("mmap", 9, 222)]
    [InlineData("futex", 202, 98)]
    [InlineData("sched_yield", 24, 124)]
    [InlineData("clone3", 435, 435)]
    [InlineData("futex_wait", 455, 455)]
    public void Both_architectures_name_their_own_numbers(string name, int x64, int arm64)
    {
        SyscallTable.X64.Name(x64).Should().Be(name);
        SyscallTable.Arm64.Name(arm64).Should().Be(name);
        SyscallTable.X64.Number(name).Should().Be(x64);
        SyscallTable.Arm64.Number(name).Should().Be(arm64);
    }

    [Fact]
    public void An_unknown_number_is_shown_not_dropped()
    {
        SyscallTable.X64.Name(999).Should().Be("syscall_999");
    }

    [Fact]
    public void Aarch64_has_no_legacy_open()
    {
        SyscallTable.Arm64.Number("open").Should().BeNull();
        SyscallTable.X64.Number("open").Should().Be(2);
    }

    [Theory]
    [InlineData(2, "ENOENT")]
    [InlineData(11, "EAGAIN")]
    [InlineData(25, "ENOTTY")]
    [InlineData(110, "ETIMEDOUT")]
    [InlineData(512, "ERESTARTSYS")]
    [InlineData(4000, "E4000")]
    public void Errno_names_follow_the_kernel_headers(int errno, string name)
    {
        ErrnoNames.Name(errno).Should().Be(name);
    }

    [Theory]
    [InlineData("mmap", SyscallRole.Memory)]
    [InlineData("madvise", SyscallRole.Memory)]
    [InlineData("futex", SyscallRole.Synchronization)]
    [InlineData("epoll_wait", SyscallRole.Synchronization)]
    [InlineData("sched_yield", SyscallRole.Scheduling)]
    [InlineData("clock_nanosleep", SyscallRole.Scheduling)]
    [InlineData("openat", SyscallRole.DeviceFileIo)]
    [InlineData("getppid", SyscallRole.Other)]
    public void Syscalls_have_the_roles_the_design_gives_them(string name, SyscallRole role)
    {
        SyscallRoles.Of(name).Should().Be(role);
    }
}
