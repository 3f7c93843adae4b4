using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace GpuOsSpec.Cli.Commands;

/// <summary>
/// `gpuosspec bench overhead`: the tracer's cost on a pure syscall storm, traced against untraced, startup subtracted,
/// medians of several runs, with exactness checked on every traced run.
/// </summary>
internal static class BenchCommand
{
    internal static Command Create()
    {
        var calls = new Option<long>("--calls") { Description = "Syscalls in the storm.", DefaultValueFactory = _ => 2_000_000 };
        var repeat = new Option<int>("--repeat") { Description = "Runs of each configuration; medians are reported.", DefaultValueFactory = _ => 5 };
        var storm = new Option<FileInfo?>("--storm") { Description = "A compiled storm binary (default: compile tests/native/storm.c with cc)." };
        var anchors = new Option<bool>("--anchors") { Description = "Also time perf stat, perf record and strace on the same storm (strace on a tenth, scaled)." };
        var overhead = new Command("overhead", "Time a getppid storm untraced and traced (hybrid and full perf modes) and print medians and ratios.")
        {
            calls, repeat, storm, anchors,
        };
        overhead.SetAction(parse => RunOverhead(parse.GetValue(calls), parse.GetValue(repeat), parse.GetValue(storm), parse.GetValue(anchors)));

        return new Command("bench", "Benchmarks that print figures (what tracing costs); timings are never test verdicts.") { overhead };
    }

    private static int RunOverhead(long calls, int repeat, FileInfo? stormFile, bool anchors)
    {
        if (calls < 1 || repeat < 1)
        {
            return Usage.Refuse("gpuosspec bench overhead: --calls and --repeat must be positive.");
        }
        string storm;
        try
        {
            storm = stormFile?.FullName ?? CompileStorm();
        }
        catch (InvalidOperationException ex)
        {
            return Usage.Refuse($"gpuosspec bench overhead: {ex.Message}");
        }
        string n = calls.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"storm: {calls:N0} getppid on one thread; {repeat} runs each; medians; startup (the same run with 0 calls) subtracted");
        double untraced = Median(repeat, () => Time(() => RunPlain(storm, n)) - Time(() => RunPlain(storm, "0")));
        Console.WriteLine($"  untraced                  {untraced,9:F1} ms   1.00x");
        foreach (var mode in new[] { PerfMode.Hybrid, PerfMode.Full })
        {
            var options = new CaptureOptions { Source = CaptureSourceKind.Perf, Mode = mode };
            string exactness = "";
            double traced = Median(repeat, () =>
            {
                double baseline = Time(() => CommandTracer.Run(storm, ["0"], options));
                GpuOsSpec.Tracing.Model.Trace? trace = null;
                double t = Time(() => trace = CommandTracer.Run(storm, [n], options));
                long counted = trace!.SyscallTotals.FirstOrDefault(s => s.Name == "getppid")?.Count ?? 0;
                exactness = $"getppid {counted:N0} ({(counted == calls ? "exact" : "NOT EXACT")}), lost {trace.LostEvents:N0}";
                return t - baseline;
            });
            Console.WriteLine($"  gpuosspec perf {mode.ToString().ToLowerInvariant(),-10} {traced,9:F1} ms {traced / untraced,6:F2}x   {exactness}");
        }
        if (anchors)
        {
            Anchor("perf stat -e raw_syscalls:sys_enter", repeat, untraced, "perf", ["stat", "-e", "raw_syscalls:sys_enter", "-o", "/dev/null", "--", storm], n, 1);
            Anchor("perf record raw_syscalls", repeat, untraced, "perf", ["record", "-q", "-e", "raw_syscalls:sys_enter", "-e", "raw_syscalls:sys_exit", "-o", "/tmp/gpuosspec-bench.data", "--", storm], n, 1);
            Anchor("strace -f (1/10 of the calls, x10)", repeat, untraced, "strace", ["-f", "-o", "/dev/null", "--", storm], (calls / 10).ToString(CultureInfo.InvariantCulture), 10);
        }
        return 0;
    }

    private static void Anchor(string label, int repeat, double untraced, string tool, string[] args, string n, int scale)
    {
        try
        {
            double t = Median(repeat, () => scale * (Time(() => RunTool(tool, args.Append(n))) - Time(() => RunTool(tool, args.Append("0")))));
            Console.WriteLine($"  {label,-25} {t,9:F1} ms {t / untraced,6:F2}x");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.WriteLine($"  {label,-25} not run: {tool} is not installed");
        }
    }

    private static string CompileStorm()
    {
        string? dir = Directory.GetCurrentDirectory();
        while (dir is not null && !File.Exists(Path.Combine(dir, "tests/native/storm.c")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        if (dir is null)
        {
            throw new InvalidOperationException("tests/native/storm.c was not found above the current directory; pass --storm PATH.");
        }
        string output = Path.Combine(Path.GetTempPath(), "gpuosspec-storm");
        RunTool("cc", ["-O2", "-pthread", "-o", output, Path.Combine(dir, "tests/native/storm.c")]);
        return output;
    }

    private static void RunPlain(string storm, string n) => RunTool(storm, [n]);

    private static void RunTool(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {p.ExitCode}: {err.Trim()}");
        }
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double Median(int count, Func<double> sample) => Tracing.Statistics.Median.Of(Enumerable.Range(0, count).Select(_ => sample()).ToList());
}
