using GpuOsSpec.Tracing.Platform.Processes;

namespace GpuOsSpec.Tracing.Tests.Platform;

/// <summary>strace stamps calls on CLOCK_REALTIME and phases are CLOCK_MONOTONIC: the offset between the two must be
/// the clocks' difference at one instant, or every converted call moves across the phase boundaries.</summary>
public class ClockTests
{
    // The fake clocks differ by exactly this; each read takes ReadNs of fake time.
    private const long TrueOffsetNs = 1_796_000_000_000_000_000;
    private const long ReadNs = 50;

    [Fact]
    public void The_realtime_offset_is_exact_when_the_first_read_of_each_clock_pays_for_its_jit()
    {
        var clocks = new FakeClocks();
        clocks.DelayFirstReadOfEachClockNs(150_000);

        long offset = Clock.RealtimeToMonotonicNs(clocks.Realtime, clocks.Monotonic);

        offset.Should().Be(TrueOffsetNs, "the monotonic instant of the real-time read is known to within its bracket");
    }

    [Fact]
    public void The_realtime_offset_is_exact_when_the_thread_is_preempted_between_the_reads()
    {
        var clocks = new FakeClocks();
        clocks.PreemptAfterRealtimeReadsNs(4_000_000);

        long offset = Clock.RealtimeToMonotonicNs(clocks.Realtime, clocks.Monotonic);

        offset.Should().Be(TrueOffsetNs, "a bracket widened by a preemption is not the narrowest one");
    }

    private sealed class FakeClocks
    {
        private long _nowNs = 1_000_000;
        private long _firstReadDelayNs;
        private bool _realtimeRead;
        private bool _monotonicRead;
        private long _preemptionNs;
        private int _realtimeReads;

        internal void DelayFirstReadOfEachClockNs(long ns) => _firstReadDelayNs = ns;

        // Every real-time read is followed by a preemption, except every third: only those brackets stay narrow.
        internal void PreemptAfterRealtimeReadsNs(long ns) => _preemptionNs = ns;

        internal long Realtime()
        {
            _nowNs += ReadNs + (_realtimeRead ? 0 : _firstReadDelayNs);
            _realtimeRead = true;
            long read = _nowNs + TrueOffsetNs;
            if (++_realtimeReads % 3 != 0)
            {
                _nowNs += _preemptionNs;
            }
            return read;
        }

        internal long Monotonic()
        {
            _nowNs += ReadNs + (_monotonicRead ? 0 : _firstReadDelayNs);
            _monotonicRead = true;
            return _nowNs;
        }
    }
}
