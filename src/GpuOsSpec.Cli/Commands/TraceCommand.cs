using GpuOsSpec.Tracing.Capture.Uprobes;
using GpuOsSpec.Tracing.Capture.Markers;
using System.CommandLine;
using GpuOsSpec.Tracing.Capture;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Targets;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec trace [--source ...] [--json FILE] [--perfetto FILE] -- COMMAND [ARGS...]`.</summary>
internal static class TraceCommand
{
    /// <summary>The command succeeded, but the trace proves nothing (lost events, a missed positive control).</summary>
    internal const int InconclusiveExitCode = 3;

    internal static Command Create()
    {
        var source = SharedOptions.Source();
        var mode = SharedOptions.Mode();
        var bufferPages = SharedOptions.BufferPages();
        var json = new Option<FileInfo?>("--json") { Description = "Write the trace as JSON (schema gpuosspec.trace/1) to FILE." };
        var perfetto = new Option<FileInfo?>("--perfetto") { Description = "Write a Chrome trace-event JSON file that the Perfetto UI opens." };
        var gpuosLibrary = new Option<FileInfo?>("--gpuos-library")
        {
            Description = "The libgpuos.so whose markers become phases (default: GPUOS_LIBRARY, else the copy beside gpuosspec). The command gets GPUOS_LIBRARY set to it.",
        };
        var noMarkers = new Option<bool>("--no-gpuos-markers") { Description = "Do not read gpuos markers." };
        var api = new Option<string[]>("--api")
        {
            Description = "Attribute syscalls, switches and faults to vendor API calls (entry and return uprobes): cuda, opencl, hip or all (repeatable).",
            AllowMultipleArgumentsPerToken = true,
        };
        api.AcceptOnlyFromAmong("cuda", "opencl", "hip", "all");
        var noFaults = new Option<bool>("--no-fault-events") { Description = "Count page faults instead of recording each (cheaper on fault-heavy commands)." };
        var command = new Argument<string[]>("command")
        {
            Description = "The command to run and trace, after --, with its arguments.",
            Arity = ArgumentArity.OneOrMore,
        };
        var cmd = new Command("trace", "Run a command to completion under tracing and summarize what it asked of the kernel.\n" +
            "Exits with the command's exit code (127 when it cannot be found or run; 128+N when signal N killed it),\n" +
            "or 3 when the command succeeded but the trace is inconclusive (events lost, a positive control missed):\n" +
            "such a trace is written all the same and says why, but it proves nothing.\n" +
            "Example: gpuosspec trace --json t.json -- ./storm 20000")
        {
            source, mode, bufferPages, json, perfetto, noFaults, gpuosLibrary, noMarkers, api, command,
        };
        cmd.SetAction(parse =>
        {
            string[] argv = parse.GetValue(command) ?? [];
            // Outputs are checked before the command runs, so a typo costs no run.
            foreach (var output in new[] { parse.GetValue(json), parse.GetValue(perfetto) })
            {
                if (output is not null && !Directory.Exists(Path.GetDirectoryName(output.FullName)))
                {
                    Console.Error.WriteLine($"gpuosspec trace: cannot write {output.FullName}: the folder {Path.GetDirectoryName(output.FullName)} does not exist. Fix: create it, or write elsewhere.");
                    return 2;
                }
            }
            string? library = null;
            if (!parse.GetValue(noMarkers))
            {
                string? env = Environment.GetEnvironmentVariable("GPUOS_LIBRARY");
                string? asked = parse.GetValue(gpuosLibrary)?.FullName ?? (string.IsNullOrEmpty(env) ? null : Path.GetFullPath(env));
                library = asked ?? MarkerProbe.Bundled();
                try
                {
                    if (library is not null)
                    {
                        _ = MarkerProbe.For(library);
                        // The command must load the copy the probe is on.
                        Environment.SetEnvironmentVariable("GPUOS_LIBRARY", library);
                    }
                }
                catch (TracerException ex) when (asked is null)
                {
                    Console.Error.WriteLine($"gpuosspec trace: gpuos markers will not be read: {ex.Message}");
                    library = null;
                }
                catch (TracerException ex)
                {
                    Console.Error.WriteLine($"gpuosspec trace: {ex.Message}");
                    return 2;
                }
            }
            var apiLibraries = (parse.GetValue(api) ?? []).Aggregate(ApiLibraries.None, (all, name) => all | name switch
            {
                "cuda" => ApiLibraries.Cuda,
                "opencl" => ApiLibraries.OpenCl,
                "hip" => ApiLibraries.Hip,
                _ => ApiLibraries.All,
            });
            var options = new CaptureOptions
            {
                ApiLibraries = apiLibraries,
                GpuOsLibrary = library,
                Source = SharedOptions.ParseSource(parse.GetValue(source)),
                Mode = SharedOptions.ParseMode(parse.GetValue(mode)),
                BufferPages = parse.GetValue(bufferPages),
                RecordPageFaults = !parse.GetValue(noFaults),
            };
            using var interrupt = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                interrupt.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            Trace trace;
            try
            {
                trace = CommandTracer.Run(argv[0], argv[1..], options, interrupt.Token);
            }
            catch (CommandNotFoundException ex)
            {
                Console.Error.WriteLine($"gpuosspec trace: {ex.Message}");
                return 127;
            }
            catch (Exception ex) when (ex is TracerException or ArgumentException)
            {
                Console.Error.WriteLine($"gpuosspec trace: {ex.Message}");
                return 2;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            Console.Error.WriteLine();
            Console.Error.Write(TraceSummary.Render(trace));
            if (parse.GetValue(json) is { } jsonFile)
            {
                TraceJsonExporter.Write(trace, jsonFile.FullName);
                Console.Error.WriteLine($"JSON written to {jsonFile.FullName}");
            }
            if (parse.GetValue(perfetto) is { } perfettoFile)
            {
                PerfettoExporter.Write(trace, perfettoFile.FullName);
                Console.Error.WriteLine($"Perfetto trace written to {perfettoFile.FullName} (open it at ui.perfetto.dev)");
            }
            if (trace.IsInconclusive && (trace.ExitCode ?? 0) == 0)
            {
                Console.Error.WriteLine($"gpuosspec trace: the trace is inconclusive: {trace.InconclusiveReason}. Exit code 3.");
                return InconclusiveExitCode;
            }
            return trace.ExitCode ?? 0;
        });
        return cmd;
    }
}
