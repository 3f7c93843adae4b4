using GpuOsSpec.Tracing.Sources.Perf;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>What hybrid mode's syscall counter counts as lost: processes it could not follow, and runs of its programs
/// the kernel skipped (neither can be provoked on purpose, so these feed the figures the counter reads).</summary>
public class SyscallCounterLossTests
{
    [Fact]
    public void Program_runs_the_kernel_skipped_are_counted_as_lost_with_a_note()
    {
        var (lost, notes) = BpfSyscallCounter.Losses(untracked: 0, recursionMisses: 3, missesUnread: null);

        lost.Should().Be(3);
        notes.Should().ContainSingle().Which.Should().Contain("the kernel skipped 3 run(s) of its programs (recursion_misses");
    }

    [Fact]
    public void Skipped_runs_that_could_not_be_read_are_a_loss_with_the_reason()
    {
        var (lost, notes) = BpfSyscallCounter.Losses(untracked: 0, recursionMisses: 0, missesUnread: "no recursion_misses here");

        lost.Should().BeGreaterThan(0, "a count that may miss runs is not exact");
        notes.Should().ContainSingle().Which.Should().Contain("could not be read (no recursion_misses here)");
    }

    [Fact]
    public void A_process_the_counter_could_not_follow_is_a_loss_with_a_note()
    {
        var (lost, notes) = BpfSyscallCounter.Losses(untracked: 2, recursionMisses: 0, missesUnread: null);

        lost.Should().Be(2);
        notes.Should().ContainSingle().Which.Should().Contain("2 process(es) of the traced tree could not be followed");
    }

    [Fact]
    public void Nothing_missing_is_no_loss_and_no_note()
    {
        var (lost, notes) = BpfSyscallCounter.Losses(untracked: 0, recursionMisses: 0, missesUnread: null);

        lost.Should().Be(0);
        notes.Should().BeEmpty();
    }
}
