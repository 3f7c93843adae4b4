using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Tests.Support;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>Hybrid mode's per-phase syscall counts (the kernel's phase counter) give each run of each gpuos phase the
/// figures full mode gives it from one event per syscall.</summary>
[Collection(SerialCollection.Name)]
public class KernelPhaseCountTests
{
    private static Trace Traced(PerfMode mode, string program, string[] args) =>
        CommandTracer.Run(program, args, new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode, GpuOsLibrary = NativePrograms.GpuOsLibrary });

    // Per phase path and per run (the runs from k on, for every k, so each run's own figure is fixed): getppid calls,
    // or "n/a" where not measured.
    private static List<string> PerRunGetppid(Trace trace)
    {
        var rows = new List<string>();
        foreach (string path in trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).Select(p => p.Path).Distinct().Order(StringComparer.Ordinal))
        {
            var view = trace.Phase(path);
            for (int k = 0; k < view.PhaseRuns.Count; k++)
            {
                rows.Add($"{path} from run {k + 1}: getppid {view.AfterRuns(k).Calls("getppid")}");
            }
        }
        return rows;
    }

    [SkippableTheory]
    [InlineData("markers", "4")]
    [InlineData("exec-markers", "")]
    [InlineData("fork-markers", "")]
    public void Each_runs_getppid_count_in_hybrid_mode_equals_full_modes(string name, string arg)
    {
        Requires.Perf();
        string program = name switch
        {
            "markers" => NativePrograms.Markers,
            "exec-markers" => NativePrograms.ExecMarkers,
            _ => NativePrograms.ForkMarkers,
        };
        string[] args = arg.Length > 0 ? [arg] : [];

        var full = Traced(PerfMode.Full, program, args);
        var hybrid = Traced(PerfMode.Hybrid, program, args);

        full.IsInconclusive.Should().BeFalse(full.InconclusiveReason);
        hybrid.IsInconclusive.Should().BeFalse(hybrid.InconclusiveReason);
        hybrid.Mode.Should().Be(CaptureMode.Hybrid);
        hybrid.PhaseSyscallsCounted.Should().BeTrue(string.Join(" | ", hybrid.Notes));
        PerRunGetppid(hybrid).Should().Equal(PerRunGetppid(full));
        PerRunGetppid(hybrid).Should().NotContain(r => r.EndsWith("n/a", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_phase_of_a_hybrid_trace_has_its_syscall_count_measured_and_each_run_its_own()
    {
        Requires.Perf();

        var trace = Traced(PerfMode.Hybrid, NativePrograms.Markers, ["4"]);

        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Phase("step/data").Calls("getppid").Value.Should().Be(8, "2 getppid in each of 4 runs");
        trace.Phase("step/data").AfterRuns(3).Calls("getppid").Value.Should().Be(2, "the last run alone");
        trace.Phase("step/forward").SyscallCount().Value.Should().Be(20, "5 getppid in each of 4 runs, and 400 markers that are no syscall");
    }
}
