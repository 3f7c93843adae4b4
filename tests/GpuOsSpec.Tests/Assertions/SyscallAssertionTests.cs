using FluentAssertions.Execution;
using GpuOsSpec.Assertions;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Model;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Assertions;

public class SyscallAssertionTests
{
    private static readonly Trace s_trace = new Traces()
        .Calls("mmap", 2, 100_000)
        .Calls("futex", 3, 1_200_000, Traces.GpuThread)
        .Call("sched_yield", 1_500_000)
        .Calls("getppid", 50, 1_600_000, Traces.DotNet)
        .Ioctl("/dev/nvidiactl", 0xc020462a, 1_700_000)
        .Build();

    private static TraceView Steady => s_trace.Phase("steady");

    [Fact]
    public void Have_syscall_count_passes_on_the_exact_count()
    {
        Steady.Should().HaveSyscallCount(5, "three futex, a yield and an ioctl ran in steady");
    }

    [Fact]
    public void Have_syscall_count_fails_with_the_top_contributors_their_thread_and_first_time()
    {
        var act = () => Steady.Should().HaveSyscallCount(4);

        act.Should().Throw<XunitException>().WithMessage(
            "Expected * to make exactly 4 syscalls, but found 5: futex ×3 (first at +0.200 ms, tid 101 cuda-EvtHandlr [GpuRuntime]); sched_yield ×1 (first at +0.500 ms, tid 100 testhost [Workload]); NV_ESC_RM_CONTROL ×1 (*). Looked at phase \"steady\", workload and GPU-runtime threads.");
    }

    [Fact]
    public void Dotnet_runtime_threads_are_left_out_by_default_and_counted_when_asked()
    {
        Steady.Should().HaveAtMostSyscalls(5);
        Steady.FromOrigins(ThreadOrigin.All).Should().HaveSyscallCount(55);
    }

    [Fact]
    public void Have_at_most_syscalls_fails_with_the_reason()
    {
        var act = () => Steady.Should().HaveAtMostSyscalls(1, "a warm launch costs no syscall");

        act.Should().Throw<XunitException>().WithMessage("Expected * to make at most 1 syscalls because a warm launch costs no syscall, but found 5: futex ×3*");
    }

    [Fact]
    public void Have_no_syscalls_passes_on_an_empty_phase_and_fails_on_a_busy_one()
    {
        new Traces().Calls("mmap", 2, 100_000).Build().Phase("steady").Should().HaveNoSyscalls();

        var act = () => Steady.Should().HaveNoSyscalls();

        act.Should().Throw<XunitException>().WithMessage("Expected * to make no syscalls, but found 5:*");
    }

    [Fact]
    public void Role_bounds_pass_and_fail_on_the_role_count()
    {
        Steady.Should().HaveAtMostSyscallsInRole(SyscallRole.Memory, 0).And.HaveAtLeastSyscallsInRole(SyscallRole.Synchronization, 3);

        var act = () => Steady.Should().HaveAtMostSyscallsInRole(SyscallRole.Synchronization, 2);

        act.Should().Throw<XunitException>().WithMessage("Expected * to make at most 2 synchronization syscalls, but found 3: futex ×3*");
    }

    [Fact]
    public void At_least_in_a_role_fails_when_short()
    {
        var act = () => Steady.Should().HaveAtLeastSyscallsInRole(SyscallRole.Memory, 1, "allocation goes through the driver");

        act.Should().Throw<XunitException>().WithMessage("Expected * to make at least 1 memory syscalls because allocation goes through the driver, but found 0: none.*");
    }

    [Fact]
    public void Calls_to_a_syscall_are_bounded_both_ways()
    {
        Steady.Should().HaveAtMostCallsTo("futex", 3).And.HaveAtLeastCallsTo("sched_yield", 1);

        var act = () => Steady.Should().HaveAtLeastCallsTo("sched_yield", 10, "yield mode calls sched_yield in proportion to the wait");

        act.Should().Throw<XunitException>().WithMessage("Expected * to make at least 10 calls to sched_yield because yield mode calls sched_yield in proportion to the wait, but found 1: sched_yield ×1*");
    }

    [Fact]
    public void At_most_calls_to_fails_over_the_bound()
    {
        var act = () => Steady.Should().HaveAtMostCallsTo("futex", 0);

        act.Should().Throw<XunitException>().WithMessage("Expected * to make no calls to futex, but found 3: futex ×3*");
    }

    [Fact]
    public void Ioctls_are_matched_by_decoded_name_or_device()
    {
        Steady.Should().HaveAtLeastIoctls("NV_ESC_RM_CONTROL", 1).And.HaveAtMostIoctls("/dev/nvidiactl", 1);

        var act = () => Steady.Should().HaveAtMostIoctls("NV_ESC_RM_CONTROL", 0);

        act.Should().Throw<XunitException>().WithMessage("Expected * to make no NV_ESC_RM_CONTROL ioctls, but found 1: NV_ESC_RM_CONTROL ×1*");
    }

    [Fact]
    public void At_least_ioctls_fails_when_none_match()
    {
        var act = () => Steady.Should().HaveAtLeastIoctls("UVM_MIGRATE", 1);

        act.Should().Throw<XunitException>().WithMessage("Expected * to make at least 1 UVM_MIGRATE ioctls, but found 0: none.*");
    }

    [Fact]
    public void Only_these_syscalls_passes_when_nothing_else_ran()
    {
        Steady.Should().MakeOnlySyscalls("futex", "sched_yield", "ioctl");
    }

    [Fact]
    public void Only_these_syscalls_fails_listing_the_others()
    {
        var act = () => Steady.Should().MakeOnlySyscalls("futex");

        act.Should().Throw<XunitException>().WithMessage("Expected * to make only futex syscalls, but found 2 other(s): sched_yield ×1 (*); NV_ESC_RM_CONTROL ×1 (*).*");
    }
}
