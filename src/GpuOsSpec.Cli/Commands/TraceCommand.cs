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
        var cmd = new Command("trace", "Run a command to completion under tracing and summarize what it asked of the kernel.\n" +
            "Exits with the command's exit code (127 when it cannot be found or run; 128+N when signal N killed it),\n" +
            "or 3 when the command succeeded but the trace is inconclusive (events lost, a positive control missed):\n" +
            "such a trace is written all the same and says why, but it proves nothing.\n" +
            "Example: gpuosspec trace --json t.json -- ./storm 20000")
        {
            json.Option, perfetto,
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
            var (captured, failed) = capture.Run(parse, "trace");
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
            return trace.ExitCode ?? 0;
        });
        return cmd;
    }
}
