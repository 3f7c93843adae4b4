using System.CommandLine;
using System.Globalization;
using GpuOsSpec.Cli.Reliability;

namespace GpuOsSpec.Cli.Commands;

/// <summary>
/// `gpuosspec bench overhead`: what tracing costs, on a getppid storm (per syscall) and on a gpuos marker storm (per
/// marker), untraced and under each mode (and with --anchors full mode with perf samples paired in user space, perf
/// stat, perf record and strace), interleaved round by round, as medians with intervals, with exactness checked on
/// every traced run.
/// </summary>
internal static class BenchCommand
{
    private const string Verb = "bench overhead";

    internal static Command Create()
    {
        var calls = new Option<long>("--calls") { Description = "Syscalls in the storm.", DefaultValueFactory = _ => 2_000_000 };
        var repeat = new Option<int>("--repeat") { Description = "Rounds; each runs every variant once. Medians are reported.", DefaultValueFactory = _ => 5 };
        var storm = new Option<FileInfo?>("--storm") { Description = "A compiled storm binary (default: compile tests/native/storm.c with cc)." };
        var anchors = new Option<bool>("--anchors") { Description = "Also time full mode with perf samples paired in user space (full-paired), perf stat, perf record and strace on the same storm (strace on a tenth, scaled)." };
        var markers = new Option<long>("--markers")
        {
            Description = "gpuos markers in the marker storm, an even number: half as many phases, each a begin and an end (0 leaves it out).",
            DefaultValueFactory = _ => 100_000,
        };
        var library = new Option<FileInfo?>("--gpuos-library") { Description = "The libgpuos.so the marker storm links and the trace probes (default: GPUOS_LIBRARY, else the copy beside gpuosspec)." };
        var json = new JsonOutput("the figures (gpuosspec.bench/1)");
        var overhead = new Command("overhead", "Time a getppid storm and a gpuos marker storm untraced and traced (hybrid and full perf modes), interleaved, and print medians, intervals and ratios.")
        {
            calls, repeat, storm, anchors, markers, library, json.Option,
        };
        overhead.SetAction(parse => RunOverhead(new Settings(parse.GetValue(calls), parse.GetValue(repeat), parse.GetValue(storm), parse.GetValue(anchors),
            parse.GetValue(markers), parse.GetValue(library)?.FullName, json.Of(parse))));

        return new Command("bench", "Benchmarks that print figures (what tracing costs); timings are never test verdicts.") { overhead };
    }

    private sealed record Settings(long Calls, int Repeat, FileInfo? Storm, bool Anchors, long Markers, string? Library, JsonTarget? Json);

    private static int RunOverhead(Settings s)
    {
        if (s.Calls < 1 || s.Repeat < 1)
        {
            return Usage.Refuse($"gpuosspec {Verb}: --calls and --repeat must be positive.");
        }
        if (s.Markers < 0 || s.Markers % 2 != 0)
        {
            return Usage.Refuse($"gpuosspec {Verb}: --markers must be an even number, 0 or more (each phase is a begin and an end marker); it was {s.Markers}.");
        }
        if (s.Json?.Problem(Verb) is { } problem)
        {
            return Usage.Refuse(problem);
        }
        if (s.Storm is { Exists: false })
        {
            return Usage.Refuse($"gpuosspec {Verb}: --storm {s.Storm.FullName} does not exist. Fix: leave --storm out to compile tests/native/storm.c.");
        }
        var (library, libraryProblem, refused) = Library(s);
        if (refused is not null)
        {
            return Usage.Refuse(refused);
        }
        string storm;
        try
        {
            storm = s.Storm?.FullName ?? BenchPrograms.CompileStorm();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return Usage.Refuse($"gpuosspec {Verb}: {ex.Message}");
        }
        string perfData = Path.Combine(Path.GetTempPath(), $"gpuosspec-bench-{Environment.ProcessId}.data");
        var groups = new List<BenchGroup> { Syscalls(storm, s.Calls, s.Anchors, perfData, library, libraryProblem) };
        if (s.Markers > 0)
        {
            groups.Add(Markers(s.Markers, library, libraryProblem));
        }
        var progress = new ProgressLog();
        Console.Error.WriteLine($"gpuosspec {Verb}: {s.Repeat} rounds of {groups.Sum(g => g.Variants.Count(v => v.NotRun is null))} variants");
        IReadOnlyList<BenchOutcome> outcomes;
        try
        {
            outcomes = BenchRounds.Run(groups, s.Repeat, progress.Line);
        }
        finally
        {
            File.Delete(perfData);
            File.Delete(BenchPrograms.StormPath);
            File.Delete(BenchPrograms.MarkerStormPath);
        }
        var figures = BenchFigures.Of(outcomes);
        BenchTable.Write(s.Json?.HumanOutput ?? Console.Out, groups, figures, s.Repeat);
        s.Json?.Write(stream => BenchJson.Write(stream, groups, figures, s.Repeat));
        return ExitCodes.Success;
    }

    // The gpuos library as trace and run resolve it: --gpuos-library, else GPUOS_LIBRARY, else the copy beside
    // gpuosspec. One the user named that is no gpuos library refuses the verb; a missing or broken bundled copy only
    // leaves the marker storm and the getppid storm's hybrid-markers variant not run, with the reason.
    private static (string? Library, string? Problem, string? Refused) Library(Settings s)
    {
        string? env = Environment.GetEnvironmentVariable("GPUOS_LIBRARY");
        string? asked = s.Library ?? (string.IsNullOrEmpty(env) ? null : Path.GetFullPath(env));
        string? library = asked ?? MarkerProbe.Bundled();
        if (library is null)
        {
            return (null, "no libgpuos.so beside gpuosspec (dotnet build puts one there); pass --gpuos-library PATH", null);
        }
        try
        {
            return (MarkerProbe.For(library).LibraryPath, null, null);
        }
        catch (TracerException ex) when (asked is null)
        {
            return (null, ex.Message, null);
        }
        catch (TracerException ex)
        {
            return (null, null, $"gpuosspec {Verb}: {(s.Library is not null ? "--gpuos-library" : "GPUOS_LIBRARY")}: {ex.Message}");
        }
    }

    private static BenchGroup Syscalls(string storm, long calls, bool anchors, string perfData, string? library, string? libraryProblem)
    {
        string n = calls.ToString(CultureInfo.InvariantCulture);
        var variants = new List<BenchVariant>
        {
            new("untraced", "untraced", () => new BenchSample(BenchPrograms.Time(() => BenchPrograms.RunTool(storm, [n])) - BenchPrograms.Time(() => BenchPrograms.RunTool(storm, ["0"])))),
            Traced(PerfMode.Hybrid, storm, n, calls),
            TracedWithPhaseCounter(storm, n, calls, library, libraryProblem),
            Traced(PerfMode.Full, storm, n, calls),
        };
        if (anchors)
        {
            long tenth = Math.Max(1, calls / 10);
            // Full mode as it was before the kernel joined each call, and as it still runs where eBPF cannot load.
            variants.Add(Traced(PerfMode.Full, storm, n, calls, pairInUserSpace: true));
            variants.Add(Anchor("perf-stat", "perf stat -e raw_syscalls:sys_enter", "perf", ["stat", "-e", "raw_syscalls:sys_enter", "-o", "/dev/null", "--", storm], n, 1));
            variants.Add(Anchor("perf-record", "perf record raw_syscalls", "perf", ["record", "-q", "-e", "raw_syscalls:sys_enter", "-e", "raw_syscalls:sys_exit", "-o", perfData, "--", storm], n, 1));
            variants.Add(Anchor("strace", "strace -f (1/10 of the calls, scaled)", "strace", ["-f", "-o", "/dev/null", "--", storm], tenth.ToString(CultureInfo.InvariantCulture), calls / (double)tenth));
        }
        string description = $"getppid storm: {calls:N0} getppid on one thread (tests/native/storm.c). Each run's startup (the same run with 0 calls) is subtracted; a traced run's time is the whole capture: the storm under tracing, then reading and building its trace.";
        return new BenchGroup("syscalls", description, "syscall", calls, "getppid", variants);
    }

    private static BenchVariant Traced(PerfMode mode, string storm, string n, long calls, bool pairInUserSpace = false)
    {
        string name = mode.ToString().ToLowerInvariant();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode, PairSyscallsInUserSpace = pairInUserSpace };
        return new BenchVariant(pairInUserSpace ? $"{name}-paired" : name, pairInUserSpace ? $"gpuosspec perf {name}, perf samples paired in user space" : $"gpuosspec perf {name}", () =>
        {
            double baseline = BenchPrograms.Time(() => Checked(CommandTracer.Run(storm, ["0"], options), mode));
            Trace? trace = null;
            double t = BenchPrograms.Time(() => trace = CommandTracer.Run(storm, [n], options));
            Checked(trace!, mode);
            long counted = trace!.SyscallTotals.FirstOrDefault(c => c.Name == "getppid")?.Count ?? 0;
            return new BenchSample(t - baseline, counted, trace.LostEvents, trace.InconclusiveReason);
        });
    }

    // What `gpuosspec trace` runs by default: hybrid mode with the gpuos markers read, so its phase counter counts
    // every syscall too (its sys_enter and sys_exit programs then count for the syscall counter as well). The storm
    // marks no phase; the counter runs all the same, and a run where it did not is not timed as this variant.
    private static BenchVariant TracedWithPhaseCounter(string storm, string n, long calls, string? library, string? problem)
    {
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = PerfMode.Hybrid, GpuOsLibrary = library };
        Trace WithCounter(Trace trace) => Checked(trace, PerfMode.Hybrid).PhaseSyscallsCounted ? trace
            : throw new InvalidOperationException($"hybrid mode's phase counter did not run ({string.Join("; ", trace.Notes)})");
        return new BenchVariant("hybrid-markers", "gpuosspec perf hybrid, markers read (the default)", () =>
        {
            double baseline = BenchPrograms.Time(() => WithCounter(CommandTracer.Run(storm, ["0"], options)));
            Trace? trace = null;
            double t = BenchPrograms.Time(() => trace = CommandTracer.Run(storm, [n], options));
            WithCounter(trace!);
            long counted = trace!.SyscallTotals.FirstOrDefault(c => c.Name == "getppid")?.Count ?? 0;
            return new BenchSample(t - baseline, counted, trace.LostEvents, trace.InconclusiveReason);
        }, NotRun: library is null ? problem : null);
    }

    // A run that failed, or was captured in another mode than the variant names (hybrid falls back to full where its
    // eBPF cannot load), must not be timed as that variant.
    private static Trace Checked(Trace trace, PerfMode mode)
    {
        var expected = mode == PerfMode.Hybrid ? CaptureMode.Hybrid : CaptureMode.Full;
        if (trace.Mode != expected)
        {
            throw new InvalidOperationException($"the capture ran in {trace.Mode.ToString().ToLowerInvariant()} mode, not {expected.ToString().ToLowerInvariant()} ({string.Join("; ", trace.Notes)})");
        }
        if (trace.ExitCode is not 0)
        {
            throw new InvalidOperationException($"the traced storm exited with {trace.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "no code"}{(trace.IncompleteReason is { } why ? $": {why}" : "")}");
        }
        return trace;
    }

    private static BenchVariant Anchor(string id, string label, string tool, string[] args, string n, double scale) =>
        new(id, label, () => new BenchSample(scale * (BenchPrograms.Time(() => BenchPrograms.RunTool(tool, args.Append(n))) - BenchPrograms.Time(() => BenchPrograms.RunTool(tool, args.Append("0"))))),
            tool, BenchPrograms.OnPath(tool) ? null : $"{tool} is not installed");

    private static BenchGroup Markers(long markers, string? library, string? libraryProblem)
    {
        long phases = markers / 2;
        string p = phases.ToString(CultureInfo.InvariantCulture);
        string? program = null;
        string? problem = libraryProblem;
        if (library is not null)
        {
            try
            {
                program = BenchPrograms.CompileMarkerStorm(library);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                problem = $"the marker storm could not be built: {ex.Message.Split('\n', 2)[0]}";
            }
        }
        string elapsed = Path.Combine(Path.GetTempPath(), $"gpuosspec-marker-storm-{Environment.ProcessId}.ns");
        var variants = new List<BenchVariant>
        {
            new("untraced", "untraced", () =>
            {
                BenchPrograms.RunTool(program!, [p, elapsed]);
                return new BenchSample(LoopMs(elapsed));
            }, NotRun: problem),
            TracedMarkers(PerfMode.Hybrid, program, library, p, elapsed, markers, problem),
            TracedMarkers(PerfMode.Full, program, library, p, elapsed, markers, problem),
        };
        string description = $"marker storm: {markers:N0} gpuos markers on one thread, {phases:N0} phases each a begin and an end (tests/native/marker-storm.c, {library ?? "no gpuos library"}); the loop is timed inside the program.";
        return new BenchGroup("markers", description, "marker", markers, "markers", variants);
    }

    private static BenchVariant TracedMarkers(PerfMode mode, string? program, string? library, string phases, string elapsed, long markers, string? problem)
    {
        string name = mode.ToString().ToLowerInvariant();
        var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode, GpuOsLibrary = library };
        return new BenchVariant(name, $"gpuosspec perf {name}, markers read", () =>
        {
            var trace = Checked(CommandTracer.Run(program!, [phases, elapsed], options), mode);
            if (!trace.MarkersRead)
            {
                throw new InvalidOperationException($"the capture read no gpuos markers ({string.Join("; ", trace.Notes)})");
            }
            // Hybrid mode's markers are the phase counter's to read; where it did not run they are perf samples, a
            // different cost, which must not be timed as this variant.
            if (mode == PerfMode.Hybrid && !trace.PhaseSyscallsCounted)
            {
                throw new InvalidOperationException($"hybrid mode's phase counter did not run ({string.Join("; ", trace.Notes)})");
            }
            // Each phase the trace holds is the begin and the end marker it saw.
            long seen = 2L * trace.Phases.Count(ph => ph.Origin == PhaseOrigin.GpuOsMarkers && ph.Name == "m");
            return new BenchSample(LoopMs(elapsed), seen, trace.LostEvents, trace.InconclusiveReason);
        }, NotRun: problem);
    }

    // The marker storm's loop time, which it wrote in nanoseconds; read and removed, so a run that wrote none cannot
    // pass off the previous run's time as its own.
    private static double LoopMs(string file)
    {
        try
        {
            return long.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture) / 1e6;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
