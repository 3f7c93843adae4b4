using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// Runs many in-process sessions and command traces in one process and samples its open fds and resident memory, so a
/// leak of perf events, buffers, bpf objects or child processes shows as a rising line.
/// </summary>
internal static partial class LeakCheck
{
    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int Getppid();

    /// <summary>One sample: after how many runs, open fds, resident set in MiB.</summary>
    internal sealed record Sample(string Stage, int Runs, int OpenFds, double RssMiB);

    internal static IReadOnlyList<Sample> Run(int sessions, int commands, CaptureSourceKind source, Action<Sample> progress)
    {
        var samples = new List<Sample>();
        void Take(string stage, int runs)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var s = new Sample(stage, runs, Directory.GetFiles("/proc/self/fd").Length, Rss());
            samples.Add(s);
            progress(s);
        }
        var options = new CaptureOptions { Source = source };
        Take("start", 0);
        for (int i = 1; i <= sessions; i++)
        {
            using var session = TraceSession.Start(options);
            using (session.Phase("work"))
            {
                for (int k = 0; k < 10; k++)
                {
                    Getppid();
                }
            }
            var trace = session.Stop();
            if (trace.IsInconclusive)
            {
                throw new InvalidOperationException($"session {i} was inconclusive: {trace.InconclusiveReason}");
            }
            if (i % Math.Max(1, sessions / 5) == 0)
            {
                Take("in-process sessions", i);
            }
        }
        for (int i = 1; i <= commands; i++)
        {
            var trace = CommandTracer.Run("/bin/true", [], options);
            if (trace.IsInconclusive)
            {
                throw new InvalidOperationException($"command trace {i} was inconclusive: {trace.InconclusiveReason}");
            }
            if (i % Math.Max(1, commands / 5) == 0)
            {
                Take("command traces", i);
            }
        }
        return samples;
    }

    private static double Rss()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}
