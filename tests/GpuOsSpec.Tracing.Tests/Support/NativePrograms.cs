using System.Diagnostics;

namespace GpuOsSpec.Tracing.Tests.Support;

/// <summary>Compiles the C helpers in tests/native once per test run.</summary>
public static class NativePrograms
{
    private static readonly Lazy<string> s_storm = new(() => Compile("storm"));

    /// <summary>storm N [THREADS]: N getppid syscalls, on THREADS threads created after start.</summary>
    public static string Storm => s_storm.Value;

    private static string Compile(string name)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "native", name + ".c");
        string output = Path.Combine(Path.GetTempPath(), $"gpuosspec-test-{name}-{Environment.ProcessId}");
        var psi = new ProcessStartInfo("cc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-O2", "-pthread", "-o", output, source })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"cc {source} failed: {err}. Install a C compiler (apt-get install gcc).");
        }
        return output;
    }
}
