using System.CommandLine;
using System.Globalization;

namespace GpuOsSpec.Cli.Commands;

/// <summary>
/// `gpuosspec reliability fuzz|leaks`: the runs that try to break gpuosspec itself (mutated inputs for every reader and
/// the baseline gate; many captures in one process), whose counts are in docs/reliability.md.
/// </summary>
internal static class ReliabilityCommand
{
    internal static Command Create()
    {
        var inputs = new Option<int>("--inputs") { Description = "Inputs per parser.", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same inputs.", DefaultValueFactory = _ => 1 };
        var fuzz = new Command("fuzz", "Feed the strace, /proc, report, map-merge and baseline readers mutated, truncated, random and huge inputs, and the baseline gate runs that lost\nsomething their baseline holds; count exceptions that escape and compares that passed. Exits 1 when any did.")
        {
            inputs, seed,
        };
        fuzz.SetAction(parse => RunFuzz(parse.GetValue(inputs), parse.GetValue(seed)));

        var sessions = new Option<int>("--sessions") { Description = "In-process trace sessions.", DefaultValueFactory = _ => 1_000 };
        var commands = new Option<int>("--commands") { Description = "Command traces of /bin/true.", DefaultValueFactory = _ => 200 };
        var source = SharedOptions.Source();
        var leaks = new Command("leaks", "Run many in-process sessions and command traces in one process; print open fds and resident memory as they go.")
        {
            sessions, commands, source,
        };
        leaks.SetAction(parse => RunLeaks(parse.GetValue(sessions), parse.GetValue(commands), SharedOptions.ParseSource(parse.GetValue(source))));
        return new Command("reliability", "Runs that try to break gpuosspec itself: fuzz its readers and its baseline gate, or look for leaks over many captures.") { fuzz, leaks };
    }

    private static int RunFuzz(int inputs, int seed)
    {
        if (inputs < 1)
        {
            return Usage.Refuse("gpuosspec reliability fuzz: --inputs must be positive.");
        }
        Console.WriteLine($"fuzz: {inputs:N0} inputs per reader, seed {seed}");
        var results = Reliability.Fuzzer.Run(inputs, seed, line => Console.WriteLine($"  {line}"));
        foreach (var example in results.SelectMany(r => r.Examples.Select(e => $"{r.Target}: {e}")))
        {
            Console.WriteLine($"  UNHANDLED {example}");
        }
        int unhandled = results.Sum(r => r.Unhandled);
        Console.WriteLine($"total: {results.Sum(r => r.Inputs):N0} inputs, {unhandled} unhandled exceptions");
        return unhandled == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static int RunLeaks(int sessions, int commands, CaptureSourceKind source)
    {
        if (sessions < 0 || commands < 0)
        {
            return Usage.Refuse("gpuosspec reliability leaks: --sessions and --commands must not be negative.");
        }
        Console.WriteLine($"leaks: {sessions:N0} in-process sessions (10 getppid in a phase each), then {commands:N0} command traces of /bin/true, source {source}");
        Console.WriteLine("  stage                      runs   open fds   RSS MiB");
        try
        {
            Reliability.LeakCheck.Run(sessions, commands, source, s => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s.Stage,-24} {s.Runs,6} {s.OpenFds,10} {s.RssMiB,9:F1}")));
        }
        catch (Exception ex) when (ex is TracerException or InvalidOperationException)
        {
            Console.Error.WriteLine($"gpuosspec reliability leaks: {ex.Message}");
            return ExitCodes.Failed;
        }
        return 0;
    }
}
