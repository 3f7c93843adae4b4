namespace GpuOsSpec.Tracing.Sources.Strace;

/// <summary>strace attached to the target: every syscall, exact, at a very high cost per call. The fallback.</summary>
public sealed class StraceSource : ICaptureSource, ISyscallSource
{
    /// <inheritdoc/>
    public string Id => "strace";

    /// <inheritdoc/>
    CaptureSourceKind ISyscallSource.Kind => CaptureSourceKind.Strace;

    /// <inheritdoc/>
    ICaptureBackend ISyscallSource.CreateBackend(CaptureOptions options) => new StraceBackend();

    /// <inheritdoc/>
    public string Overhead => "very high: every syscall stops the thread twice (hundreds of times slower on a syscall storm)";

    /// <summary>The strace executable on PATH, or null.</summary>
    public static string? Executable()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "strace");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <inheritdoc/>
    public CapabilityCheck Check()
    {
        if (Executable() is null)
        {
            return CapabilityCheck.Unavailable(Id, "strace is not on PATH", "apt-get install strace");
        }
        string scope = "0";
        try
        {
            scope = File.ReadAllText("/proc/sys/kernel/yama/ptrace_scope").Trim();
        }
        catch (IOException) { }
        if (scope == "3")
        {
            return CapabilityCheck.Unavailable(Id, "ptrace is disabled (kernel.yama.ptrace_scope=3)", "reboot with kernel.yama.ptrace_scope below 3");
        }
        return CapabilityCheck.Ok(Id);
    }
}
