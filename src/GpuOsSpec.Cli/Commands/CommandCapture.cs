using System.CommandLine;
using System.Runtime.InteropServices;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Cli.Commands;

/// <summary>The options and the run every verb that traces a command shares (trace, baseline record, baseline
/// compare).</summary>
internal sealed class CommandCapture
{
    private readonly Option<string> _source = SharedOptions.Source();
    private readonly Option<string?> _mode = SharedOptions.Mode();
    private readonly Option<int?> _bufferPages = SharedOptions.BufferPages();
    private readonly Option<FileInfo?> _gpuosLibrary = new("--gpuos-library")
    {
        Description = "The libgpuos.so whose markers become phases (default: GPUOS_LIBRARY, else the copy beside gpuosspec). The command gets GPUOS_LIBRARY set to it.",
    };
    private readonly Option<bool> _noMarkers = new("--no-gpuos-markers") { Description = "Do not read gpuos markers." };
    private readonly Option<string[]> _api = new("--api")
    {
        Description = "Attribute syscalls, switches and faults to vendor API calls (entry and return uprobes): cuda, opencl, hip or all (repeatable).",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<bool> _apiSamples = new("--api-samples")
    {
        Description = "With --api: sample each probe hit with perf and join by time, instead of counting per call in the kernel with eBPF (the fallback where eBPF cannot load; costs more per call).",
    };
    private readonly Option<bool> _noFaults = new("--no-fault-events") { Description = "Count page faults instead of recording each (cheaper on fault-heavy commands)." };
    private readonly Option<bool> _faultEvents = new("--fault-events")
    {
        Description = "Record every page fault as an event (time, address, Perfetto instant) also where hybrid mode's phase counter counts them per phase "
            + "(the default there, with the gpuos markers read, is its sums alone; --perfetto and --api-samples keep the events).",
    };
    private readonly Argument<string[]> _command = new("command")
    {
        Description = "The command to run and trace, after --, with its arguments.",
        Arity = ArgumentArity.OneOrMore,
    };

    internal CommandCapture()
    {
        _api.AcceptOnlyFromAmong("cuda", "opencl", "hip", "all");
        // An option the verb does not know would otherwise be taken for the command ("trace --bogus -- true" ran
        // --bogus).
        _command.Validators.Add(result =>
        {
            if (result.Tokens.FirstOrDefault()?.Value is { } first && first.StartsWith('-'))
            {
                result.AddError($"Unknown option {first}. Options go before --, and the command after it: gpuosspec trace [OPTIONS] -- COMMAND [ARGS...].");
            }
        });
    }

    /// <summary>Adds the options and the command argument to <paramref name="cmd"/>.</summary>
    internal void AddTo(Command cmd)
    {
        foreach (var option in new Option[] { _source, _mode, _bufferPages, _noFaults, _faultEvents, _gpuosLibrary, _noMarkers, _api, _apiSamples })
        {
            cmd.Options.Add(option);
        }
        cmd.Arguments.Add(_command);
    }

    /// <summary>Runs the command under tracing with the command line's settings; null with the exit code to return when
    /// it could not be traced (the reason is printed).</summary>
    internal (Trace? Trace, int ExitCode) Run(ParseResult parse, string verb)
    {
        var (plan, refused) = Plan(parse, verb, CaptureDefaults.Command);
        return plan is null ? (null, refused) : Run(plan, verb);
    }

    /// <summary>True when the command line sets <paramref name="option"/> itself (not its default).</summary>
    internal static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The --source, --mode and --api options, for a verb that checks them against what it needs.</summary>
    internal (Option Source, Option Mode, Option Api, Option NoFaults, Option NoMarkers) Settings => (_source, _mode, _api, _noFaults, _noMarkers);

    /// <summary>
    /// Checks the command line and the gpuos library and resolves the source, before anything runs; settings the
    /// command line leaves out come from <paramref name="defaults"/>. Null with the exit code to return (the reason
    /// printed) when it cannot run.
    /// </summary>
    internal (CapturePlan? Plan, int ExitCode) Plan(ParseResult parse, string verb, CaptureDefaults defaults)
    {
        string[] argv = parse.GetValue(_command) ?? [];
        if (parse.GetValue(_noFaults) && parse.GetValue(_faultEvents))
        {
            return (null, Usage.Refuse($"gpuosspec {verb}: --no-fault-events and --fault-events contradict each other; pass one."));
        }
        string? library = null;
        if (!parse.GetValue(_noMarkers))
        {
            string? env = Environment.GetEnvironmentVariable("GPUOS_LIBRARY");
            string? option = parse.GetValue(_gpuosLibrary)?.FullName;
            string? asked = option ?? (string.IsNullOrEmpty(env) ? null : Path.GetFullPath(env));
            library = asked ?? MarkerProbe.Bundled();
            try
            {
                if (library is not null)
                {
                    // Checked before the command runs (a path that is no regular file, or no gpuos library, is refused
                    // here without being opened or read whole); the capture gives the command GPUOS_LIBRARY.
                    _ = MarkerProbe.For(library);
                }
            }
            catch (TracerException ex) when (asked is null)
            {
                Console.Error.WriteLine($"gpuosspec {verb}: gpuos markers will not be read: {ex.Message}");
                library = null;
            }
            catch (TracerException ex)
            {
                string from = option is not null ? "--gpuos-library" : "GPUOS_LIBRARY";
                return (null, Usage.Refuse($"gpuosspec {verb}: {from}: {ex.Message}"));
            }
        }
        var api = Given(parse, _api)
            ? (parse.GetValue(_api) ?? []).Aggregate(ApiLibraries.None, (all, name) => all | name switch
            {
                "cuda" => ApiLibraries.Cuda,
                "opencl" => ApiLibraries.OpenCl,
                "hip" => ApiLibraries.Hip,
                _ => ApiLibraries.All,
            })
            : defaults.Api;
        var requested = Given(parse, _source) ? SharedOptions.ParseSource(parse.GetValue(_source)) : defaults.Source;
        var mode = SharedOptions.ParseMode(parse.GetValue(_mode)) ?? defaults.Mode;
        var options = new CaptureOptions
        {
            ApiLibraries = api,
            ApiSamples = parse.GetValue(_apiSamples),
            GpuOsLibrary = library,
            Source = requested,
            Mode = mode,
            BufferPages = parse.GetValue(_bufferPages),
            RecordPageFaults = !parse.GetValue(_noFaults),
            // Where hybrid mode's phase counter loads, its sums are the faults of every figure, so a fault costs no
            // perf sample; API calls joined from samples need the events for theirs.
            FaultEventsWhereCounted = parse.GetValue(_faultEvents) || parse.GetValue(_apiSamples),
        };
        CaptureSourceKind source;
        try
        {
            options.Validate();
            source = SourceSelector.Choose(requested, []);
        }
        catch (Exception ex) when (ex is TracerException or ArgumentException)
        {
            return (null, Usage.Refuse($"gpuosspec {verb}: {ex.Message}"));
        }
        return (new CapturePlan(options, argv, source, mode), ExitCodes.Success);
    }

    /// <summary>Runs a planned capture once; null with the exit code to return when it could not be traced (the reason
    /// is printed).</summary>
    internal static (Trace? Trace, int ExitCode) Run(CapturePlan plan, string verb)
    {
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM and SIGHUP end the trace as Ctrl-C does, so the capture closes its events and removes its uprobes
        // from tracefs before gpuosspec exits (.NET 10 no longer turns SIGTERM into ProcessExit: the default would kill
        // the process with its probes still defined).
        Action<PosixSignalContext> onTerminate = context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onTerminate);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, onTerminate);
        try
        {
            return (CommandTracer.Run(plan.Argv[0], plan.Argv[1..], plan.Options, interrupt.Token), ExitCodes.Success);
        }
        catch (CommandNotFoundException ex)
        {
            Console.Error.WriteLine($"gpuosspec {verb}: {ex.Message}");
            return (null, ExitCodes.NotFound);
        }
        catch (Exception ex) when (ex is TracerException or ArgumentException)
        {
            Console.Error.WriteLine($"gpuosspec {verb}: {ex.Message}");
            return (null, ExitCodes.Usage);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
