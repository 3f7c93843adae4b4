using System.CommandLine;
using GpuOsSpec.Cli.Commands;

namespace GpuOsSpec.Cli;

/// <summary>Entry point of the gpuosspec command.</summary>
public static class Program
{
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
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(MapCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root.Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
