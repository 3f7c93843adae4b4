using System.Diagnostics;

namespace GpuOsSpec.Specs.Commands;

/// <summary>The small C programs the command specs trace, built once per run with cc against the libgpuos beside the
/// specs.</summary>
internal static class Programs
{
    private static readonly Dictionary<string, string> s_built = [];

    // The specs' own folder: under xunit.console, AppContext.BaseDirectory is the runner's.
    private static string Dir => Path.GetDirectoryName(typeof(Programs).Assembly.Location)!;

    /// <summary>The built program; skips the spec (with the fix) where no C compiler is installed.</summary>
    internal static string Build(string name)
    {
        lock (s_built)
        {
            if (s_built.TryGetValue(name, out string? done))
            {
                return done;
            }
            string output = Path.Combine(Path.GetTempPath(), $"gpuosspec-spec-{name}-{Environment.ProcessId}");
            var psi = new ProcessStartInfo("cc") { RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "-O2", "-I", Path.Combine(Dir, "programs"), "-o", output, Path.Combine(Dir, "programs", name + ".c"), "-L", Dir, "-lgpuos", $"-Wl,-rpath,{Dir}", "-ldl" })
            {
                psi.ArgumentList.Add(a);
            }
            Process p;
            try
            {
                p = Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                GpuSpec.Skip("the command specs build their programs with cc, which is not installed. Fix: apt-get install gcc");
                throw;
            }
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"cc {name}.c failed: {err}");
            }
            s_built[name] = output;
            return output;
        }
    }

    /// <summary>The repository file at <paramref name="relative"/>, found above the specs' folder, or null.</summary>
    internal static string? InRepository(string relative)
    {
        for (var dir = new DirectoryInfo(Dir); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
