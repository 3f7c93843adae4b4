using System.Diagnostics;

namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// The bench's storms, compiled from tests/native with cc, and the plain runs of programs and tools it times.
/// </summary>
internal static class BenchPrograms
{
    /// <summary>Where this process compiles the storm, and the marker storm beside it: one path per process, so two
    /// benches at once never run each other's half-written binary.</summary>
    internal static string StormPath => Path.Combine(Path.GetTempPath(), $"gpuosspec-storm-{Environment.ProcessId}");

    internal static string MarkerStormPath => Path.Combine(Path.GetTempPath(), $"gpuosspec-marker-storm-{Environment.ProcessId}");

    /// <summary>Compiles tests/native/storm.c (N getppid) to <see cref="StormPath"/>.</summary>
    /// <exception cref="InvalidOperationException">When the source is not found or cc fails; the message has the
    /// fix.</exception>
    internal static string CompileStorm()
    {
        string root = SourceRoot("tests/native/storm.c", "pass --storm PATH");
        string output = StormPath;
        RunTool("cc", ["-O2", "-pthread", "-o", output, Path.Combine(root, "tests/native/storm.c")]);
        return output;
    }

    /// <summary>
    /// Compiles tests/native/marker-storm.c to <see cref="MarkerStormPath"/> against <paramref name="library"/> itself
    /// (by path, with its folder as the run path), so the storm loads the very file whose gpuos_probe_marker the trace
    /// probes.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the sources are not found or cc fails.</exception>
    internal static string CompileMarkerStorm(string library)
    {
        string root = SourceRoot("tests/native/marker-storm.c", "run gpuosspec inside the source tree, or pass --markers 0 to leave the marker storm out");
        string output = MarkerStormPath;
        RunTool("cc", ["-O2", "-I", Path.Combine(root, "gpuos/include"), "-o", output, Path.Combine(root, "tests/native/marker-storm.c"), library, $"-Wl,-rpath,{Path.GetDirectoryName(library)}"]);
        return output;
    }

    /// <summary>True when <paramref name="tool"/> is an executable file in a folder of PATH.</summary>
    internal static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .Any(path => File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>Runs <paramref name="file"/> to its end with its output discarded.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">When it cannot be started.</exception>
    /// <exception cref="InvalidOperationException">When it exits with other than 0; the message has its
    /// stderr.</exception>
    internal static void RunTool(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        // stderr is read on its own task, so a tool that fills the stdout pipe while we read stderr cannot stall.
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {p.ExitCode}: {err.Result.Trim()}");
        }
    }

    /// <summary>Milliseconds <paramref name="action"/> took.</summary>
    internal static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalMilliseconds;
    }

    // The source tree above the current directory that holds relativePath.
    private static string SourceRoot(string relativePath, string fix)
    {
        string? dir = Directory.GetCurrentDirectory();
        while (dir is not null && !File.Exists(Path.Combine(dir, relativePath)))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException($"{relativePath} was not found above the current directory. Fix: {fix}.");
    }
}
