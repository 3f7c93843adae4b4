using System.Text.Json;
using GpuOsSpec.Cli.Commands;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>`gpuosspec trace --mode full --cross-check-phases`: refused before the run where it cannot compare, and an
/// exit code that passes only on a comparison that found every figure equal.</summary>
[Collection(SerialCollection.Name)]
public class TraceCrossCheckTests
{
    private static (int Code, string Out, string Err) Gpuosspec(params string[] args) => Support.Cli.Run(args);

    private static string Library => $"--gpuos-library={NativePrograms.GpuOsLibrary}";

    [Fact]
    public void The_cross_check_is_refused_in_the_default_mode_before_the_command_runs()
    {
        string marker = Path.Combine(Path.GetTempPath(), $"gpuosspec-xcheck-{Guid.NewGuid():N}");

        var (code, _, err) = Gpuosspec("trace", "--cross-check-phases", Library, "--", "/bin/touch", marker);

        code.Should().Be(ExitCodes.Usage);
        err.Should().Contain("gpuosspec trace: --cross-check-phases needs --mode full");
        File.Exists(marker).Should().BeFalse("the command never ran");
    }

    [Fact]
    public void The_cross_check_is_refused_without_gpuos_markers()
    {
        var (code, _, err) = Gpuosspec("trace", "--mode", "full", "--cross-check-phases", "--no-gpuos-markers", "--", "/bin/true");

        code.Should().Be(ExitCodes.Usage);
        err.Should().Contain("--cross-check-phases needs the gpuos markers, whose phases it compares. Fix: drop --no-gpuos-markers, or pass --gpuos-library.");
    }

    [Fact]
    public void The_cross_check_is_refused_with_the_strace_source()
    {
        var (code, _, err) = Gpuosspec("trace", "--source", "strace", "--mode", "full", "--cross-check-phases", Library, "--", "/bin/true");

        code.Should().Be(ExitCodes.Usage);
        err.Should().Contain("--cross-check-phases needs the perf source, not strace.");
    }

    [SkippableFact]
    public void A_cross_check_that_found_every_figure_equal_exits_0_and_its_json_says_equal()
    {
        Requires.PhaseCounter();
        string json = Path.Combine(Path.GetTempPath(), $"gpuosspec-xcheck-{Guid.NewGuid():N}.json");
        try
        {
            var (code, _, err) = Gpuosspec("trace", "--mode", "full", "--cross-check-phases", Library, "--json", json, "--", NativePrograms.PhasesProg, "known", "100");

            code.Should().Be(ExitCodes.Success, err);
            err.Should().Contain("phase cross-check EQUAL: in 1 phase path(s), 1 (phase, syscall) figure(s)");
            var check = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("phaseCrossCheck");
            check.GetProperty("equal").GetBoolean().Should().BeTrue();
            check.GetProperty("rows").EnumerateArray().Single().GetProperty("kernelCalls").GetInt64().Should().Be(100);
            check.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("figure").GetString())
                .Should().Equal("voluntarySwitches", "involuntarySwitches", "minorFaults", "majorFaults");
            check.GetProperty("figures").EnumerateArray().Should().OnlyContain(f => f.GetProperty("equal").GetBoolean());
            check.GetProperty("onCpu").EnumerateArray().Single().GetProperty("kernelNs").GetInt64().Should().BeGreaterThan(0, "the phase ran on a CPU");
        }
        finally
        {
            File.Delete(json);
        }
    }

    [SkippableFact]
    public void A_cross_check_of_a_program_without_gpuos_phases_exits_3_never_0()
    {
        Requires.PhaseCounter();

        var (code, _, err) = Gpuosspec("trace", "--mode", "full", "--cross-check-phases", Library, "--", "/bin/true");

        code.Should().Be(ExitCodes.Inconclusive);
        err.Should().Contain("gpuosspec trace: the phase cross-check compared nothing: the program opened no gpuos phase, so there was nothing to compare. Exit code 3.");
    }

    [Fact]
    public void A_difference_exits_1_and_names_the_phase_the_syscall_and_both_figures()
    {
        var check = new PhaseCrossCheck([new PhaseCrossCheckRow("serve/request", "read", 40, 0, 41, 0, 41, [7])], null);
        var (code, err) = CrossCheckExit(check);

        code.Should().Be(ExitCodes.Failed);
        err.Should().Contain("the phase cross-check found 1 (phase, syscall) figure(s) where the default mode's count differs from full mode's; first: phase \"serve/request\", read: full mode 40 calls (0 errors), the kernel's phase counter 41 (0 errors). Exit code 1.");
    }

    [Fact]
    public void A_switch_or_fault_difference_alone_exits_1_and_names_the_phase_the_figure_and_both_figures()
    {
        var check = new PhaseCrossCheck([new PhaseCrossCheckRow("serve/request", "read", 40, 0, 40, 0, 40, [])], null)
        {
            Figures = [new PhaseCrossCheckFigure("serve/request", "involuntarySwitches", 3, 4, [7])],
        };
        var (code, err) = CrossCheckExit(check);

        code.Should().Be(ExitCodes.Failed);
        err.Should().Contain("the phase cross-check found 1 (phase, switch or fault) figure(s) where the default mode's count differs from full mode's; first: phase \"serve/request\", involuntarySwitches: full mode 3, the kernel's phase counter 4. Exit code 1.");
        err.Should().NotContain("(phase, syscall) figure(s) where", "every syscall agreed");
    }

    // TraceCommand.CrossCheckExit's code and what it wrote to stderr.
    private static (int Code, string Err) CrossCheckExit(PhaseCrossCheck check)
    {
        var saved = Console.Error;
        var err = new StringWriter();
        Console.SetError(err);
        try
        {
            return (TraceCommand.CrossCheckExit(check), err.ToString());
        }
        finally
        {
            Console.SetError(saved);
        }
    }
}
