using System.Diagnostics;
using System.Text.Json;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Check;

/// <summary>Runs `gpuosspec check --json -` and reads its report: in process, or as a child process with the
/// libcuda.so.1 stand-in on its library path (the API probes resolve the library in gpuosspec's own process).</summary>
internal static class CheckRuns
{
    private static readonly Lazy<Outcome> s_keep = new(() => InProcess([], NativePrograms.Rules, "keep"));

    private static readonly Lazy<Outcome> s_gpu = new(() => WithFakeCuda([], NativePrograms.Rules, "gpu"));

    internal static string[] Library => ["--gpuos-library", NativePrograms.GpuOsLibrary];

    internal static string Cli => Path.Combine(NativePrograms.TestDirectory, "gpuosspec.dll");

    /// <summary>rules keep: a steady phase that keeps every rule it can be held to without API probes.</summary>
    internal static Outcome Keep => s_keep.Value;

    /// <summary>rules gpu under --api cuda with the stand-in: user-space launches, a parked wait, memory from
    /// setup.</summary>
    internal static Outcome Gpu => s_gpu.Value;

    /// <summary>The sample rules assembly (examples/check-rules), from its build folder beside the tests'.</summary>
    internal static string SampleRules
    {
        get
        {
            var here = new DirectoryInfo(NativePrograms.TestDirectory);
            string path = Path.Combine(here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName, "examples", "check-rules", "bin", here.Parent.Name, here.Name, "GpuOsSpec.Examples.CheckRules.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The sample rules are not built at {path}.", path);
        }
    }

    internal static Outcome InProcess(string[] options, params string[] command)
    {
        var (code, output, err) = Support.Cli.Run(["check", "--json", "-", .. Library, .. options, "--", .. command]);
        return Outcome.Of(code, output, err);
    }

    internal static Outcome WithFakeCuda(string[] options, params string[] command)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { Cli, "check", "--json", "-", "--api", "cuda" }.Concat(Library).Concat(options).Append("--").Concat(command))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["LD_LIBRARY_PATH"] = NativePrograms.FakeCudaFolder;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return Outcome.Of(p.ExitCode, output, stderr.Result);
    }

    /// <summary>An exit code, the JSON report (default when none was written) and stderr.</summary>
    internal sealed record Outcome(int Code, JsonElement Report, string Err)
    {
        internal static Outcome Of(int code, string output, string err) =>
            new(code, string.IsNullOrWhiteSpace(output) ? default : JsonDocument.Parse(output).RootElement.Clone(), err);

        /// <summary>The rule's entry in the report.</summary>
        internal JsonElement Rule(string id)
        {
            Report.ValueKind.Should().Be(JsonValueKind.Object, $"check wrote a report (exit {Code}): {Err}");
            return Report.GetProperty("rules").EnumerateArray().Should().ContainSingle(r => r.GetProperty("id").GetString() == id, Err).Subject;
        }

        internal string Verdict(string id) => Rule(id).GetProperty("verdict").GetString()!;

        public override string ToString() => $"exit {Code}; {Report}; {Err}";
    }
}
