using GpuOsSpec.Assertions;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Sources;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Assertions;

public class InconclusiveTests
{
    [Fact]
    public void Lost_events_fail_even_an_assertion_that_would_pass()
    {
        var trace = new Traces().Lost(1234).Build();

        var act = () => trace.Should().HaveNoSyscalls();

        act.Should().Throw<XunitException>().WithMessage("Expected * to make no syscalls, but the trace is inconclusive: 1,234 kernel events were lost (a ring buffer overflowed); raise the buffer size (CaptureOptions.BufferPages, --buffer-pages) or trace less.*");
    }

    // The phase counter's losses (a full map, program runs the kernel skipped) were once reported as a ring buffer
    // overflow, with advice (a larger perf buffer) that cannot cure them.
    [Fact]
    public void Counts_the_phase_counter_lost_are_named_as_such_not_as_a_ring_buffer_overflow()
    {
        var act = () => new Traces().CountersLost(7).Build().Should().HaveNoSyscalls();

        act.Should().Throw<XunitException>().WithMessage("*the trace is inconclusive: hybrid mode's in-kernel counters lost 7 count(s) (the notes say where*; trace with --mode full.*")
            .Which.Message.Should().NotContain("raise the buffer size");
    }

    [Fact]
    public void Lost_events_and_lost_counts_are_named_apart()
    {
        var act = () => new Traces().Lost(5).CountersLost(2).Build().Should().HaveNoSyscalls();

        act.Should().Throw<XunitException>().WithMessage("*the trace is inconclusive: 5 kernel events were lost (a ring buffer overflowed); raise the buffer size*, and hybrid mode's in-kernel counters lost 2 count(s) (the notes say where)*");
    }

    [Fact]
    public void Lost_events_fail_context_switch_assertions_too()
    {
        var act = () => new Traces().Lost(1).Build().Should().HaveNoContextSwitches();

        act.Should().Throw<XunitException>().WithMessage("*the trace is inconclusive: 1 kernel events were lost*");
    }

    [Fact]
    public void A_trace_without_a_syscall_source_fails_syscall_assertions_as_inconclusive()
    {
        var act = () => new Traces().Build(source: GpuOsSpec.Tracing.Model.CaptureSourceKind.Proc, syscallsMeasured: false).Should().HaveNoSyscalls();

        act.Should().Throw<XunitException>().WithMessage("Expected * to make no syscalls, but the trace is inconclusive: no syscall source was permitted (see the trace's notes for the fix).*");
    }

    [Fact]
    public void An_unknown_phase_is_a_clear_failure_not_a_pass()
    {
        var act = () => new Traces().Build().Phase("steady-state").Should().HaveNoSyscalls();

        act.Should().Throw<ArgumentException>().WithMessage("No phase named \"steady-state\"; the trace has: setup, steady.*");
    }
}
