using System.CommandLine;

namespace GpuOsSpec.Cli;

/// <summary>Entry point of the gpuosspec command.</summary>
public static class Program
{
    /// <summary>Set to print the stack of an unexpected failure.</summary>
    public const string DebugVariable = "GPUOSSPEC_DEBUG";

    /// <summary>Parses the command line and runs the verb.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("gpuosspec: make the way GPU runtimes use the operating system something you can assert on.");
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(SourcesCommand.Create());
        root.Subcommands.Add(BackendsCommand.Create());
        root.Subcommands.Add(WorkloadsCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(BaselineCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(MapCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ReliabilityCommand.Create());
        var parse = root.Parse(args);
        // A usage error exits 2, apart from a traced command's own codes (1 is often a command that failed), and before
        // any work starts.
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"gpuosspec: {error.Message}");
            }
            Console.Error.WriteLine($"Run `gpuosspec {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2))} --help` for the usage.");
            return ExitCodes.Usage;
        }
        // An unexpected failure is one line, no stack trace (GPUOSSPEC_DEBUG=1 prints it), and exit 1. The verbs write
        // their data files first (map.json before the figures), so what a long run measured is on disk by then.
        try
        {
            return parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"gpuosspec: {ex.Message}");
            Console.Error.WriteLine(Environment.GetEnvironmentVariable(DebugVariable) is { Length: > 0 }
                ? ex.ToString()
                : $"This is a bug in gpuosspec; set {DebugVariable}=1 to print where it happened, and report it.");
            return ExitCodes.Failed;
        }
    }
}
