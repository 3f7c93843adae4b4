using GpuOsSpec.Assertions;
using GpuOsSpec.Scaling;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Assertions;

/// <summary>No assertion passes on a figure that was not measured, on in-kernel totals it ignored, or on a blind
/// capture.</summary>
public class NeverPassOnNothingTests
{
    // A hybrid trace: a million reads counted in the kernel, a few decode-set calls recorded per event.
    private static readonly Trace s_hybrid = new Traces()
        .Calls("futex", 3, 1_200_000)
        .Counted("read", 1_000_000)
        .Build();

    [Fact]
    public void A_whole_hybrid_trace_cannot_pass_no_syscalls_while_the_kernel_counted_a_million_reads()
    {
        var act = () => s_hybrid.AllThreads().Should().HaveNoSyscalls();

        act.Should().Throw<XunitException>().WithMessage("Expected * to make no syscalls, but found 1000003: futex ×3 *; read ×1,000,000 (counted in the kernel, no time or thread)*");
    }

    [Fact]
    public void A_whole_hybrid_trace_cannot_pass_at_most_zero_reads()
    {
        var act = () => s_hybrid.AllThreads().Should().HaveAtMostCallsTo("read", 0);

        act.Should().Throw<XunitException>().WithMessage("Expected * to make no calls to read, but found 1000000*");
    }

    [Fact]
    public void A_phase_of_a_hybrid_trace_is_inconclusive_about_syscalls_the_kernel_only_counted()
    {
        var act = () => s_hybrid.Phase("steady").Should().HaveAtMostCallsTo("read", 0);

        act.Should().Throw<XunitException>().WithMessage("*inconclusive: the 1,000,000 calls to read were counted in the kernel for the whole capture only (hybrid mode), and in-kernel totals have no phase or thread*");
    }

    [Fact]
    public void A_phase_of_a_hybrid_trace_still_asserts_on_what_it_recorded_per_event()
    {
        s_hybrid.Phase("steady").Should().HaveAtLeastCallsTo("futex", 3);
    }

    [Fact]
    public void A_view_that_leaves_a_thread_out_cannot_claim_the_in_kernel_totals()
    {
        s_hybrid.View().SyscallCount().IsMeasured.Should().BeFalse("the default view leaves the .NET runtime thread out, and in-kernel totals have no thread");
        s_hybrid.AllThreads().SyscallCount().Value.Should().Be(1_000_003);
    }

    [Fact]
    public void Counts_of_a_trace_without_a_syscall_source_are_not_measured_never_zero()
    {
        var trace = new Traces().Build(source: GpuOsSpec.Tracing.Model.CaptureSourceKind.Proc, syscallsMeasured: false);

        trace.AllThreads().SyscallCount().IsMeasured.Should().BeFalse();
        trace.AllThreads().Calls("read").IsMeasured.Should().BeFalse();
        trace.AllThreads().IoctlCalls("NV_ESC_RM_ALLOC").IsMeasured.Should().BeFalse();
        trace.AllThreads().CountByRole().Values.Should().OnlyContain(m => !m.IsMeasured);
    }

    [Fact]
    public void A_phase_of_a_trace_that_counted_switches_for_the_whole_capture_only_is_inconclusive_about_them()
    {
        var trace = new Traces().Switch(1_500_000, voluntary: true).WholeCaptureCounts().Build();

        var act = () => trace.Phase("steady").Should().HaveAtMostVoluntarySwitches(5);

        act.Should().Throw<XunitException>().WithMessage("Expected * to have at most 5 voluntary context switches, but the result is inconclusive: context switches were counted for the whole capture only (/proc), not per phase.*");
    }

    [Fact]
    public void A_phase_of_a_trace_that_counted_faults_for_the_whole_capture_only_is_inconclusive_about_them()
    {
        var trace = new Traces().Fault(1_500_000).WholeCaptureCounts().Build();

        var act = () => trace.Phase("steady").Should().HaveAtMostPageFaults(0);

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no page faults, but the result is inconclusive: page faults were counted for the whole capture only (/proc), not per phase.*");
    }

    [Fact]
    public void The_whole_capture_holds_switches_and_faults_to_the_counts_it_took()
    {
        var trace = new Traces().Switch(1_500_000, voluntary: false).Fault(1_500_000, major: true).WholeCaptureCounts().Build();

        var act = () => trace.AllThreads().Should().HaveNoContextSwitches();

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no context switches, but found 1 (0 voluntary, 1 involuntary)*");
        trace.AllThreads().Should().HaveAtMostPageFaults(1).And.HaveAtLeastPageFaults(1);
        var major = () => trace.AllThreads().Should().HaveNoMajorPageFaults();
        major.Should().Throw<XunitException>().WithMessage("Expected * to have no major page faults, but found 1 (0 minor, 1 major)*");
    }

    [Fact]
    public void A_capture_that_missed_its_positive_control_fails_every_assertion_as_inconclusive()
    {
        var blind = new Traces().Control(expected: 4, seen: 0).Build();

        var act = () => blind.Phase("steady").Should().HaveNoSyscalls();

        act.Should().Throw<XunitException>().WithMessage("*inconclusive: the capture missed 4 of its 4 positive controls (test controls)*bpftool perf*");
        blind.IsInconclusive.Should().BeTrue();
    }

    [Fact]
    public void A_capture_that_saw_every_control_is_conclusive()
    {
        var trace = new Traces().Control(expected: 4, seen: 4).Build();

        trace.IsInconclusive.Should().BeFalse();
        trace.Phase("steady").Should().HaveNoSyscalls();
    }

    [Fact]
    public void Scaling_without_a_syscall_source_refuses_a_syscall_slope_as_inconclusive()
    {
        var result = Scale.Measure("op", _ => { }, sizes: [1, 2, 3], repetitions: 1, label: "proc-scaling",
            options: new CaptureOptions { Source = CaptureSourceKind.Proc });

        var act = () => result.Syscalls.Should().HaveMarginalCostAtMost(0);

        act.Should().Throw<XunitException>().WithMessage("*inconclusive: syscalls was not measured*");
        result.Syscalls.Unmeasured.Should().NotBeNull();
    }
}
