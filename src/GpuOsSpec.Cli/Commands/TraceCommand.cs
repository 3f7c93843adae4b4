using System.CommandLine;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec trace [--source ...] [--json FILE] [--perfetto FILE] -- COMMAND [ARGS...]`.</summary>
internal static class TraceCommand
{
    internal static Command Create()
    {
        var capture = new CommandCapture();
        var json = new JsonOutput("the trace (schema gpuosspec.trace/2)");
        var perfetto = new Option<FileInfo?>("--perfetto") { Description = "Write a Chrome trace-event JSON file that the Perfetto UI opens." };
        var crossCheck = new Option<bool>("--cross-check-phases")
        {
            Description = "With --mode full and gpuos markers: also run the default mode's in-kernel phase counter on the same run, and compare each "
                + "phase's calls and errors per syscall (the syscalls the default mode counts rather than records), voluntary and involuntary context "
                + "switches and minor and major page faults, thread by thread, between full mode's events and the counter's counts; on-CPU time is shown "
                + "side by side, not compared. The summary and --json (phaseCrossCheck) show both figures; the trace's own figures stay full mode's. "
                + "Exit code 1 when a figure differs, 3 when nothing could be compared (the command's own code when it failed).",
        };
        var cmd = new Command("trace", "Run a command to completion under tracing and summarize what it asked of the kernel.\n" +
            "Exits with the command's exit code (127 when it cannot be found or run; 128+N when signal N killed it),\n" +
            "or 3 when the command succeeded but the trace is inconclusive (events lost, a positive control missed):\n" +
            "such a trace is written all the same and says why, but it proves nothing.\n" +
            "Example: gpuosspec trace --json t.json -- ./storm 20000")
        {
            json.Option, perfetto, crossCheck,
        };
        capture.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            // Outputs are checked before the command runs, so a typo costs no run.
            var jsonTarget = json.Of(parse);
            if (OutputPaths.First(jsonTarget?.Problem("trace"),
                    parse.GetValue(perfetto) is { } perfettoOut ? OutputPaths.FileProblem("trace", "--perfetto", perfettoOut.FullName) : null) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            var (plan, refused) = capture.Plan(parse, "trace", CaptureDefaults.Command);
            if (plan is null)
            {
                return refused;
            }
            if (parse.GetValue(perfetto) is not null)
            {
                // The timeline draws each fault as an instant: only events have a time.
                plan = plan with { Options = plan.Options with { FaultEventsWhereCounted = true } };
            }
            bool crossChecked = parse.GetValue(crossCheck);
            if (crossChecked)
            {
                if (CrossCheckRefusal(plan) is { } refusal)
                {
                    return Usage.Refuse($"gpuosspec trace: --cross-check-phases {refusal}");
                }
                plan = plan with { Options = plan.Options with { Source = CaptureSourceKind.Perf, CrossCheckPhases = true } };
            }
            var (captured, failed) = CommandCapture.Run(plan, "trace");
            if (captured is not { } trace)
            {
                return failed;
            }
            Console.Error.WriteLine();
            Console.Error.Write(TraceSummary.Render(trace));
            jsonTarget?.Write(stream => TraceJsonExporter.Write(trace, stream));
            if (parse.GetValue(perfetto) is { } perfettoFile)
            {
                PerfettoExporter.Write(trace, perfettoFile.FullName);
                Console.Error.WriteLine($"Perfetto trace written to {perfettoFile.FullName} (open it at ui.perfetto.dev)");
            }
            if (trace.IsInconclusive && (trace.ExitCode ?? 0) == 0)
            {
                Console.Error.WriteLine($"gpuosspec trace: the trace is inconclusive: {trace.InconclusiveReason}. Exit code 3.");
                return ExitCodes.Inconclusive;
            }
            if (crossChecked && (trace.ExitCode ?? 0) == 0 && trace.PhaseCrossCheck is { } check)
            {
                return CrossCheckExit(check);
            }
            return trace.ExitCode ?? 0;
        });
        return cmd;
    }

    // Refused before the run: the cross-check holds full mode's events to the counter, so it needs both on one run.
    private static string? CrossCheckRefusal(CapturePlan plan)
    {
        if (plan.Source != CaptureSourceKind.Perf)
        {
            return $"needs the perf source, not {CaptureNames.Of(plan.Source)}.";
        }
        if (plan.Mode != PerfMode.Full)
        {
            return "needs --mode full: it holds full mode's per-event figures to the default mode's phase counter on the same run (in the default mode the counter's figures are the trace's own).";
        }
        if (plan.Options.GpuOsLibrary is null)
        {
            return "needs the gpuos markers, whose phases it compares. Fix: drop --no-gpuos-markers, or pass --gpuos-library.";
        }
        var counter = new PerfEventSource().CheckPhaseCounter();
        return counter.Available ? null : $"needs hybrid mode's phase counter, which cannot load here: {counter.Missing}. Fix: {counter.Fix}.";
    }

    // A cross-check the user asked for decides the exit code of a conclusive trace of a command that succeeded: a
    // difference is the verb's own failure (1), and a check that compared nothing proves nothing (3), never a pass.
    internal static int CrossCheckExit(PhaseCrossCheck check)
    {
        if (!check.Compared)
        {
            Console.Error.WriteLine($"gpuosspec trace: the phase cross-check compared nothing: {check.Reason}. Exit code 3.");
            return ExitCodes.Inconclusive;
        }
        var differences = check.Differences;
        var figures = check.FigureDifferences;
        if (differences.Count == 0 && figures.Count == 0)
        {
            return ExitCodes.Success;
        }
        if (differences.Count > 0)
        {
            var first = differences[0];
            Console.Error.WriteLine($"gpuosspec trace: the phase cross-check found {differences.Count:N0} (phase, syscall) figure(s) where the default mode's count differs from full mode's; "
                + $"first: phase \"{NameEscaping.ForText(first.Path)}\", {NameEscaping.ForText(first.Syscall)}: full mode {first.FullCalls:N0} calls ({first.FullErrors:N0} errors), "
                + $"the kernel's phase counter {first.KernelCalls:N0} ({first.KernelErrors:N0} errors). Exit code 1.");
        }
        if (figures.Count > 0)
        {
            var first = figures[0];
            Console.Error.WriteLine($"gpuosspec trace: the phase cross-check found {figures.Count:N0} (phase, switch or fault) figure(s) where the default mode's count differs from full mode's; "
                + $"first: phase \"{NameEscaping.ForText(first.Path)}\", {first.Figure}: full mode {first.Full:N0}, the kernel's phase counter {first.Kernel:N0}. Exit code 1.");
        }
        return ExitCodes.Failed;
    }
}
