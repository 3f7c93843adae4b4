using System.Diagnostics;

namespace GpuOsSpec.Cli.Commands;

/// <summary>The progress of a long verb (map, evaluate) on stderr: each line with the seconds since the verb
/// started.</summary>
internal sealed class ProgressLog
{
    private readonly Stopwatch _started = Stopwatch.StartNew();

    /// <summary>Seconds since the verb started.</summary>
    internal double Seconds => _started.Elapsed.TotalSeconds;

    /// <summary>Writes <paramref name="line"/> after the seconds so far.</summary>
    internal void Line(string line) => Console.Error.WriteLine($"  {Seconds,6:F1}s {line}");
}
