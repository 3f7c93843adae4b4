using System.Diagnostics;

namespace GpuOsSpec.Tracing.Tests.Support;

/// <summary>
/// Runs tests/native/blinder.c: another program's eBPF on raw_syscalls that returns 0, so the kernel drops those
/// tracepoints' samples for every perf user while it runs. Dispose to detach it.
/// </summary>
public sealed class Blinder : IDisposable
{
    private readonly Process _process;

    public Blinder()
    {
        var psi = new ProcessStartInfo(NativePrograms.Blinder, "/sys/kernel/tracing") { RedirectStandardOutput = true, RedirectStandardError = true };
        _process = Process.Start(psi)!;
        string? line = _process.StandardOutput.ReadLine();
        if (line != "ready")
        {
            string error = _process.StandardError.ReadToEnd();
            _process.Kill();
            throw new InvalidOperationException($"The blinder could not attach its eBPF programs: {error}");
        }
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
