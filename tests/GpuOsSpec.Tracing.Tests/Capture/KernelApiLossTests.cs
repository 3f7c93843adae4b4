using GpuOsSpec.Tracing.Sources.Perf;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>What the in-kernel API counter counts as lost: its loss stats (api.h's api_stat), records written but not
/// read, and runs of its programs the kernel skipped (a full ring buffer and a recursion miss cannot be provoked on
/// purpose, so these feed the figures the counter reads; nesting past the kept depth is provoked in
/// ApiKernelCountingTests).</summary>
public class KernelApiLossTests
{
    [Fact]
    public void Records_the_full_ring_buffer_dropped_are_counted_as_lost_with_a_note()
    {
        var (lost, notes) = KernelApiCounter.Losses(new Dictionary<int, long> { [0] = 10, [1] = 4 }, read: 10, unreadable: 0, recursionMisses: 0, missesUnread: null);

        lost.Should().Be(4);
        notes.Should().ContainSingle().Which.Should().Contain("4 call record(s) were lost because the kernel's ring buffer was full");
    }

    [Fact]
    public void Records_written_but_never_read_are_counted_as_lost()
    {
        var (lost, notes) = KernelApiCounter.Losses(new Dictionary<int, long> { [0] = 12 }, read: 9, unreadable: 0, recursionMisses: 0, missesUnread: null);

        lost.Should().Be(3);
        notes.Should().ContainSingle().Which.Should().Contain("the kernel wrote 12 call record(s) but 9 were read");
    }

    [Fact]
    public void Program_runs_the_kernel_skipped_are_counted_as_lost()
    {
        var (lost, notes) = KernelApiCounter.Losses(new Dictionary<int, long> { [0] = 5 }, read: 5, unreadable: 0, recursionMisses: 2, missesUnread: null);

        lost.Should().Be(2);
        notes.Should().ContainSingle().Which.Should().Contain("the kernel skipped 2 run(s) of its programs");
    }

    [Fact]
    public void Skipped_runs_that_could_not_be_read_are_a_loss_with_the_reason()
    {
        var (lost, notes) = KernelApiCounter.Losses(new Dictionary<int, long>(), read: 0, unreadable: 0, recursionMisses: 0, missesUnread: "no recursion_misses here");

        lost.Should().BeGreaterThan(0, "a count that may miss calls is not exact");
        notes.Should().ContainSingle().Which.Should().Contain("could not be read (no recursion_misses here)");
    }

    [Fact]
    public void Returns_without_an_entry_are_noted_but_not_lost()
    {
        var (lost, notes) = KernelApiCounter.Losses(new Dictionary<int, long> { [0] = 5, [3] = 1 }, read: 5, unreadable: 0, recursionMisses: 0, missesUnread: null);

        lost.Should().Be(0, "a call begun before the capture is outside it, as the perf path treats it");
        notes.Should().ContainSingle().Which.Should().Contain("1 API return(s) had no entry on their thread");
    }

    [Fact]
    public void Nothing_missing_is_no_loss_and_no_note()
    {
        var (lost, notes) = KernelApiCounter.Losses(new Dictionary<int, long> { [0] = 7, [1] = 0, [2] = 0, [3] = 0, [5] = 0 }, read: 7, unreadable: 0, recursionMisses: 0, missesUnread: null);

        lost.Should().Be(0);
        notes.Should().BeEmpty();
    }
}
