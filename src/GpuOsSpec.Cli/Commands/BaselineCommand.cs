using System.CommandLine;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec baseline record|compare`: an OS-interaction profile of a command, and later runs held to
/// it.</summary>
internal static class BaselineCommand
{
    internal static Command Create()
    {
        var cmd = new Command("baseline", "Record a command's OS-interaction profile (per phase: syscalls, ioctls, roles, API calls, switches, faults, wall and on-CPU time), and hold later runs to it in CI.");
        cmd.Subcommands.Add(Record());
        cmd.Subcommands.Add(Compare());
        return cmd;
    }

    private static Option<int> Runs(string what)
    {
        var runs = new Option<int>("--runs") { Description = $"Runs of the command {what}; each figure is their median.", DefaultValueFactory = _ => 1 };
        runs.Validators.Add(r =>
        {
            int n = r.GetValueOrDefault<int>();
            if (n is < 1 or > 1000)
            {
                r.AddError($"--runs must be from 1 to 1000, not {n}.");
            }
        });
        return runs;
    }

    private static Command Record()
    {
        var capture = new CommandCapture();
        var output = new Option<FileInfo>("--out") { Description = "Where the profile goes (JSON, schema gpuosspec.baseline/2).", Required = true };
        var runs = Runs("to record (several let compare tell noise from growth, above all in time)");
        var cmd = new Command("record", "Run the command under tracing (by default in full perf mode, so every phase has every figure) and write its profile.\n" +
            "Exit 0: written; 1: the command failed (nothing written); 2: bad input, or a capture that measures no syscalls; 3: a run was inconclusive.\n" +
            "Example: gpuosspec baseline record --out base.json --runs 5 -- python3 train.py")
        {
            output, runs,
        };
        capture.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            const string verb = "baseline record";
            var file = parse.GetValue(output)!;
            if (OutputPaths.FileProblem(verb, "--out", file.FullName) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            var (plan, refused) = capture.Plan(parse, verb, new CaptureDefaults(CaptureSourceKind.Auto, PerfMode.Full, ApiLibraries.None));
            if (plan is null)
            {
                return refused;
            }
            if (plan.Source == CaptureSourceKind.Proc)
            {
                return Usage.Refuse($"gpuosspec {verb}: the proc source measures no syscalls, so its profile would hold nothing to compare. Fix: --source perf (as root) or --source strace.");
            }
            var (traces, stopped) = RunAll(plan, verb, parse.GetValue(runs), NotABaseline);
            if (traces is null)
            {
                return stopped;
            }
            BaselineProfile profile;
            try
            {
                profile = BaselineProfile.Of(traces);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"gpuosspec {verb}: {ex.Message} Nothing was written.");
                return ExitCodes.Failed;
            }
            profile.Save(file.FullName);
            int phases = profile.Scopes.Count - 1;
            Console.Error.WriteLine($"baseline of {profile.Entries.Count} figures in the whole run and {phases} phase(s), from {profile.Recordings} run(s), captured as {profile.Capture}, written to {file.FullName}");
            var abilities = CaptureAbilities.Of(traces[0]);
            var missing = profile.Scopes
                .SelectMany(scope => Enum.GetValues<BaselineKind>().Except(scope.Measured).Select(kind => (Kind: kind, Whole: scope.Scope == BaselineProfile.Whole)))
                .GroupBy(m => abilities.Unmeasured(m.Whole, m.Kind) ?? "")
                .Select(g => $"{string.Join(", ", g.Select(m => m.Kind).Distinct())} {(g.All(m => m.Whole) ? "of the whole run" : g.All(m => !m.Whole) ? "of the phases" : "anywhere")} ({g.Key})");
            foreach (string line in missing)
            {
                Console.Error.WriteLine($"  not in the profile: {line}");
            }
            if (phases > 0 && plan.Source == CaptureSourceKind.Perf && plan.Mode == PerfMode.Hybrid && !traces.All(t => t.PhaseSyscallsCounted))
            {
                Console.Error.WriteLine($"gpuosspec {verb}: warning: the phases hold no syscalls by name or role, since hybrid mode's phase counter did not count them per phase in every run (the trace's notes say why). Fix: read the gpuos markers where the counter can load (gpuosspec sources), or record with --mode full.");
            }
            if (plan.Source == CaptureSourceKind.Perf && plan.Options.ApiLibraries != ApiLibraries.None && traces.FirstOrDefault(t => t.ApiSyscallsUnmeasured is not null) is { } uncounted)
            {
                Console.Error.WriteLine($"gpuosspec {verb}: warning: the API calls hold no syscalls inside them, since {uncounted.ApiSyscallsUnmeasured}.");
            }
            if (profile.Recordings == 1)
            {
                Console.Error.WriteLine($"gpuosspec {verb}: note: one run shows no noise; record with --runs 5 so compare can hold time and CPU without false alarms.");
            }
            return ExitCodes.Success;

            static int? NotABaseline(Trace trace, int run)
            {
                if (trace.InconclusiveReason is { } why)
                {
                    Console.Error.WriteLine($"gpuosspec {verb}: run {run} is inconclusive ({why}); an inconclusive run is not a baseline, and nothing was written.");
                    return ExitCodes.Inconclusive;
                }
                if (trace.ExitCode is { } code and not 0)
                {
                    Console.Error.WriteLine($"gpuosspec {verb}: the command {(trace.Signal is { } s ? $"was killed by signal {s}" : $"exited with {code}")} in run {run}; a failed run is not a baseline, and nothing was written.");
                    return ExitCodes.Failed;
                }
                return null;
            }
        });
        return cmd;
    }

    private static Command Compare()
    {
        var capture = new CommandCapture();
        var baseline = new Argument<FileInfo>("baseline") { Description = "The profile baseline record wrote." };
        var runs = Runs("to compare");
        var relative = SharedOptions.Decimal("--tolerance", "Growth allowed for counts, in percent of the largest recorded figure.", 10);
        var absolute = SharedOptions.Decimal("--slack", "Growth allowed for counts on top, per run (lets a figure that was 0 reach this).", 0.5);
        var timeRelative = SharedOptions.Decimal("--time-tolerance", "Growth allowed for wall and on-CPU time, in percent of the recorded median.", 50);
        var timeAbsolute = SharedOptions.Decimal("--time-slack", "Growth allowed for times on top, in milliseconds per run.", 0.1);
        var faultSlack = SharedOptions.Decimal("--fault-slack", "Page faults allowed on top, over all of a scope's runs (where a buffer lands moves from run to run).", 8);
        var otherMachine = new Option<bool>("--allow-other-machine") { Description = "Compare even when the host, architecture or driver differ." };
        var scope = new Option<string>("--scope")
        {
            Description = "What is compared: auto (the phases when the baseline has any, else the whole run), phases, whole or all.",
            DefaultValueFactory = _ => "auto",
        };
        scope.AcceptOnlyFromAmong("auto", "phases", "whole", "all");
        var summary = new Option<FileInfo?>("--summary") { Description = "Also append the diff as Markdown to FILE (e.g. $GITHUB_STEP_SUMMARY)." };
        var cmd = new Command("compare", "Run the command under tracing, captured as the baseline was unless told otherwise, and compare it with the baseline.\n" +
            "Exit 0: every figure measured and within tolerance; 1: a figure grew past it; 2: refused before any run (a bad profile, another machine or\n" +
            "driver, a capture that cannot measure what the baseline holds) or bad input; 3: inconclusive (events lost, a phase or the probes' calls\n" +
            "missing, the command failed): never a pass.\n" +
            "Example: gpuosspec baseline compare base.json --runs 3 --summary \"$GITHUB_STEP_SUMMARY\" -- python3 train.py")
        {
            baseline, runs, relative, absolute, timeRelative, timeAbsolute, faultSlack, scope, otherMachine, summary,
        };
        capture.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            const string verb = "baseline compare";
            BaselineProfile profile;
            try
            {
                profile = BaselineProfile.Load(parse.GetValue(baseline)!.FullName);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return Usage.Refuse($"gpuosspec {verb}: {ex.Message}");
            }
            if (parse.GetValue(summary) is { } summaryFile && OutputPaths.FileProblem(verb, "--summary", summaryFile.FullName) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            var tolerance = new BaselineTolerance(parse.GetValue(relative) / 100, parse.GetValue(absolute), parse.GetValue(timeRelative) / 100, parse.GetValue(timeAbsolute) * 1e6, parse.GetValue(faultSlack));
            var compared = Enum.Parse<BaselineScope>(parse.GetValue(scope)!, ignoreCase: true);
            var (plan, refused) = capture.Plan(parse, verb, DefaultsOf(profile));
            if (plan is null)
            {
                return refused;
            }
            if (profile.Capture.Markers && plan.Options.GpuOsLibrary is null)
            {
                return Usage.Refuse($"gpuosspec {verb}: the baseline's phases come from gpuos markers, and this run would read none. Fix: drop --no-gpuos-markers, or pass --gpuos-library.");
            }
            var planned = new BaselineCapture(plan.Source, ModeOf(plan), ApiCatalog.All.Where(l => plan.Options.ApiLibraries.HasFlag(l.Flag)).Select(l => l.SoName).Order(StringComparer.Ordinal).ToList(), plan.Options.GpuOsLibrary is not null);
            // Per-phase syscalls in hybrid mode come from its phase counter, planned where the markers are read and the
            // counter can load; each run's trace still says whether it ran, and a run without it is refused.
            bool phaseCounter = plan.Source == CaptureSourceKind.Perf && plan.Options.GpuOsLibrary is not null && new PerfEventSource().CheckPhaseCounter().Available;
            // The syscalls inside API calls in hybrid mode come from the kernel's API counter, planned where it can
            // load and --api-samples is not asked; each run's trace still says whether it ran.
            bool apiCounter = plan.Source == CaptureSourceKind.Perf && plan.Options.ApiLibraries != ApiLibraries.None && !plan.Options.ApiSamples && new PerfEventSource().CheckApiCounter().Available;
            // Where the counter is to run in hybrid mode, faults are events only when asked (--fault-events,
            // --api-samples).
            bool faultEvents = plan.Options.RecordPageFaults && (plan.Options.FaultEventsWhereCounted || !phaseCounter || ModeOf(plan) == CaptureMode.Full);
            var abilities = CaptureAbilities.Planned(plan.Source, ModeOf(plan), plan.Options.ApiLibraries != ApiLibraries.None, faultEvents, phaseCounter, apiCounter);
            if (BaselineComparison.CannotMeasure(profile, planned, abilities) is { } cannot)
            {
                return Usage.Refuse($"gpuosspec {verb}: {cannot}.");
            }
            var (traces, stopped) = RunAll(plan, verb, parse.GetValue(runs));
            if (traces is null)
            {
                return stopped;
            }
            var result = BaselineComparison.Compare(profile, traces, tolerance, parse.GetValue(otherMachine), compared);
            string markdown = result.ToMarkdown(profile, tolerance);
            Console.Out.Write(markdown);
            if (parse.GetValue(summary) is { } file)
            {
                File.AppendAllText(file.FullName, markdown + Environment.NewLine);
            }
            if (result.Reason is { } reason)
            {
                Console.Error.WriteLine($"gpuosspec {verb}: {(result.Verdict == BaselineVerdict.Refused ? "not compared" : "inconclusive")}: {reason}.");
            }
            return result.Verdict switch
            {
                BaselineVerdict.Passed => ExitCodes.Success,
                BaselineVerdict.Failed => ExitCodes.Failed,
                BaselineVerdict.Inconclusive => ExitCodes.Inconclusive,
                _ => ExitCodes.Usage,
            };
        });
        return cmd;
    }

    /// <summary>
    /// Runs the plan's command <paramref name="count"/> times, saying which run is on when there are several. Stops at
    /// the first run that gives no trace, or whose trace <paramref name="stop"/> (given it and the run's number from 1)
    /// answers with an exit code: then the traces are null and the exit code says why.
    /// </summary>
    private static (List<Trace>? Traces, int ExitCode) RunAll(CapturePlan plan, string verb, int count, Func<Trace, int, int?>? stop = null)
    {
        var traces = new List<Trace>();
        for (int i = 0; i < count; i++)
        {
            if (count > 1)
            {
                Console.Error.WriteLine($"gpuosspec {verb}: run {i + 1} of {count}");
            }
            var (trace, failed) = CommandCapture.Run(plan, verb);
            if (trace is null)
            {
                return (null, failed);
            }
            if (stop?.Invoke(trace, i + 1) is { } exitCode)
            {
                return (null, exitCode);
            }
            traces.Add(trace);
        }
        return (traces, ExitCodes.Success);
    }

    // A compare captures as its baseline was captured, unless the command line says otherwise.
    private static CaptureDefaults DefaultsOf(BaselineProfile profile) => new(
        profile.Capture.Source,
        profile.Capture.Mode == CaptureMode.Hybrid ? PerfMode.Hybrid : PerfMode.Full,
        ApiCatalog.All.Where(l => profile.Capture.ApiLibraries.Contains(l.SoName)).Aggregate(ApiLibraries.None, (all, l) => all | l.Flag));

    private static CaptureMode ModeOf(CapturePlan plan) => plan.Source switch
    {
        CaptureSourceKind.Perf => plan.Mode == PerfMode.Full ? CaptureMode.Full : CaptureMode.Hybrid,
        CaptureSourceKind.Strace => CaptureMode.Strace,
        _ => CaptureMode.Counters,
    };
}
