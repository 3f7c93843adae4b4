using System.Diagnostics;
using GpuOsSpec.Tracing.Platform.Interop;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>gpuosspec removes its uprobes before it exits, also when Ctrl-C interrupts the trace or SIGTERM ends
/// it.</summary>
[Collection(SerialCollection.Name)]
public class UprobeCleanupCliTests
{
    [SkippableTheory]
    [InlineData(Libc.SIGINT)]
    [InlineData(Libc.SIGTERM)]
    public void A_trace_stopped_by_a_signal_leaves_no_uprobe_behind(int signal)
    {
        Requires.Perf();
        Skip.If(ApiProbes.Locate("libOpenCL.so.1") is null, "libOpenCL.so.1 is not installed here (apt-get install ocl-icd-libopencl1 pocl-opencl-icd), so there is no API probe set to remove");
        string marker = $"29.{Environment.ProcessId % 1000}{signal}";
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { Path.Combine(NativePrograms.TestDirectory, "gpuosspec.dll"), "trace", "--mode", "full", "--api", "opencl",
            "--gpuos-library", NativePrograms.GpuOsLibrary, "--", "/bin/sleep", marker })
        {
            psi.ArgumentList.Add(a);
        }
        using var gpuosspec = Process.Start(psi)!;
        _ = gpuosspec.StandardOutput.ReadToEndAsync();
        var stderr = gpuosspec.StandardError.ReadToEndAsync();
        try
        {
            // Tracing has begun once the command runs; its probes are defined before that.
            var waited = Stopwatch.StartNew();
            while (Sleepers(marker).Count == 0 && !gpuosspec.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(50);
            }
            Sleepers(marker).Should().NotBeEmpty($"the traced command must be running ({Finished(stderr)})");
            UprobeEvents.Of(gpuosspec.Id).Should().NotBeEmpty("the markers' and the API's probes are defined while the trace runs");

            Libc.Kill(gpuosspec.Id, signal);

            gpuosspec.WaitForExit(60_000).Should().BeTrue("gpuosspec must end on the signal");
            UprobeEvents.Of(gpuosspec.Id).Should().BeEmpty($"gpuosspec removes its probes before it exits (stderr: {Finished(stderr)})");
        }
        finally
        {
            if (!gpuosspec.HasExited)
            {
                gpuosspec.Kill();
            }
            foreach (int pid in Sleepers(marker))
            {
                Libc.Kill(pid, Libc.SIGKILL);
            }
        }
    }

    // What a stream said, if it has closed: a command left running (the failure under test) holds it open.
    private static string Finished(Task<string> output) => output.IsCompleted ? output.Result : "(still open)";

    private static List<int> Sleepers(string marker)
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out int pid) && File.ReadAllText(Path.Combine(dir, "cmdline")) == $"/bin/sleep\0{marker}\0")
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
