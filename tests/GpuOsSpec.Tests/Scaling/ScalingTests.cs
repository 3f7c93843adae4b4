using GpuOsSpec.Assertions;
using GpuOsSpec.Fixtures;
using GpuOsSpec.Scaling;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Statistics;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Xunit;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Scaling;

public class ScalingTests : IClassFixture<GpuContextFixture>
{
    private readonly GpuContextFixture _gpu;

    public ScalingTests(GpuContextFixture gpu) => _gpu = gpu;

    [Fact]
    public void A_line_through_exact_points_has_their_slope_and_intercept()
    {
        var fit = LinearFit.Through([(100, 7 + 2 * 100), (1_000, 7 + 2 * 1_000), (10_000, 7 + 2 * 10_000)]);

        fit.Marginal.Should().BeApproximately(2, 1e-9);
        fit.Fixed.Should().BeApproximately(7, 1e-6);
        fit.RSquared.Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void A_flat_line_fits_exactly_with_no_slope()
    {
        var fit = LinearFit.Through([(100, 3), (1_000, 3)]);

        (fit.Marginal, fit.Fixed).Should().Be((0, 3));
        double.IsNaN(fit.RSquared).Should().BeTrue("every point is equal; the fit is exact, not a ratio");
    }

    [Fact]
    public void A_fit_needs_two_different_sizes()
    {
        var act = () => LinearFit.Through([(100, 3), (100, 4)]);

        act.Should().Throw<ArgumentException>().WithMessage("A fit needs at least two different sizes.*");
    }

    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void Syscalls_per_unit_is_the_slope_not_the_ratio()
    {
        // 5 fixed syscalls plus 2 per unit: total / n would say 2.05 at n=100; the slope says 2.
        Syscalls.Getppid();
        Syscalls.Getpid();

        var result = Scale.Measure("unit", n =>
        {
            for (int i = 0; i < 5; i++)
            {
                Syscalls.Getpid();
            }
            for (long i = 0; i < n; i++)
            {
                Syscalls.Getppid();
                Syscalls.Getppid();
            }
        }, sizes: [100, 400, 1_600], repetitions: 3);

        // The exact figures below are the fit's numbers, which know nothing of the capture: a capture that another
        // program blinded (seen once, while another worktree's tests ran their raw_syscalls blinder) must fail as such.
        result.Trace.InconclusiveReason.Should().BeNull("the fit's numbers are read directly");
        result.Syscalls.Marginal.Should().BeApproximately(2, 1e-9);
        result.Syscalls.Fixed.Should().BeApproximately(5, 1e-6);
        result.Syscall("getpid").Should().HaveMarginalCostAtMost(0).And.HaveFixedCostAtLeast(5);
        result.Role(SyscallRole.Other).Should().HaveMarginalCostAtLeast(2);
    }

    // The operation once compiled at its first call, inside the first phase: with W^X, an mmap, an mprotect and a
    // munmap on the measuring thread. Whether the JIT needed them varied, and the exact slope above failed when it did
    // and a garbage collection stopped the thread in another repetition of the same size.
    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void The_operation_is_compiled_before_the_first_phase()
    {
        Syscalls.Geteuid();

        var result = Scale.Measure("unit", n =>
        {
            for (long i = 0; i < n; i++)
            {
                Syscalls.Geteuid();
            }
        }, sizes: [10, 20], repetitions: 1, options: new CaptureOptions { DotNetRuntimeEvents = true });

        result.Trace.Phase("n10-r0").Should().HaveNoJitCompilations("the operation was compiled before any phase");
    }

    [GpuFact(Backend = "cpu", Sources = new[] { CaptureSourceKind.Perf })]
    public void Cpu_backend_launches_are_measured_per_launch()
    {
        var context = _gpu.Context("cpu");
        var stream = context.DefaultStream;

        var result = Scale.Measure("launch", n =>
        {
            for (long i = 0; i < n; i++)
            {
                stream.Launch(context.Kernels.Empty, LaunchShape.Single);
            }
            stream.Synchronize();
        }, sizes: [10_000, 200_000], repetitions: 3, label: "cpu");

        // The submitting thread's CPU time includes its spin in Synchronize, which under load varies by tens of
        // microseconds whatever the size (100 and 1,000 launches gave negative slopes beside two busy loops). A launch
        // costs about 40 ns, so 190,000 more launches put milliseconds between the sizes, far above that noise.
        result.CpuTimeNs.Should().HaveMarginalCostAtLeast(1, "every launch costs some CPU");
        result.Syscalls.Medians.Should().HaveCount(2);
    }

    [Fact]
    public void A_marginal_cost_over_the_bound_fails_with_the_fit_and_its_points()
    {
        var fit = new ScalingFit("launch", "syscalls", new LinearFit(12, 0.5, 0.99), [(100, 62), (1_000, 512)], new Traces().Build(), null);

        var act = () => fit.Should().HaveMarginalCostAtMost(0.01, "a warm launch costs no syscall");

        act.Should().Throw<XunitException>().WithMessage("Expected * to have a marginal cost of at most 0.01 syscalls per launch because a warm launch costs no syscall, but found 0.5 (syscalls per launch: marginal 0.5, fixed 12, R² 0.990 (medians 100: 62, 1,000: 512)).");
    }

    [Fact]
    public void Each_bound_fails_when_crossed()
    {
        var fit = new ScalingFit("launch", "syscalls", new LinearFit(12, 0.5, 0.99), [(100, 62), (1_000, 512)], new Traces().Build(), null);

        ((Action)(() => fit.Should().HaveMarginalCostAtLeast(1))).Should().Throw<XunitException>().WithMessage("*marginal cost of at least 1 syscalls per launch, but found 0.5*");
        ((Action)(() => fit.Should().HaveFixedCostAtMost(10))).Should().Throw<XunitException>().WithMessage("*fixed cost of at most 10 syscalls per launch, but found 12*");
        ((Action)(() => fit.Should().HaveFixedCostAtLeast(20))).Should().Throw<XunitException>().WithMessage("*fixed cost of at least 20 syscalls per launch, but found 12*");
        fit.Should().HaveMarginalCostAtMost(0.5).And.HaveMarginalCostAtLeast(0.5).And.HaveFixedCostAtMost(12).And.HaveFixedCostAtLeast(12);
    }

    [Fact]
    public void A_fit_from_a_trace_with_lost_events_is_inconclusive()
    {
        var fit = new ScalingFit("launch", "syscalls", new LinearFit(0, 0, double.NaN), [(100, 0), (1_000, 0)], new Traces().Lost(7).Build(), null);

        var act = () => fit.Should().HaveMarginalCostAtMost(0.01);

        act.Should().Throw<XunitException>().WithMessage("*but the result is inconclusive: 7 kernel events were lost*");
    }
}
