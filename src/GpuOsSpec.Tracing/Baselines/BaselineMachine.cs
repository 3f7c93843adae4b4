namespace GpuOsSpec.Tracing.Baselines;

/// <summary>Where a baseline was recorded: profiles from other machines or drivers are not compared.</summary>
/// <param name="Host">The host name.</param>
/// <param name="Architecture">x86_64 or aarch64.</param>
/// <param name="Kernel">uname -r.</param>
/// <param name="Driver">The NVIDIA driver version (/proc/driver/nvidia/version), or null where none is loaded.</param>
public sealed record BaselineMachine(string Host, string Architecture, string Kernel, string? Driver)
{
    /// <summary>This machine, for a trace that ran here.</summary>
    public static BaselineMachine Of(Trace trace) => new(Environment.MachineName, trace.Architecture, trace.KernelRelease, NvidiaDriver());

    /// <summary>The loaded NVIDIA kernel driver's version, or null.</summary>
    public static string? NvidiaDriver()
    {
        const string file = "/proc/driver/nvidia/version";
        if (!File.Exists(file))
        {
            return null;
        }
        // "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build ..."
        string first = File.ReadLines(file).FirstOrDefault() ?? "";
        return first.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.Count(c => c == '.') >= 1 && char.IsDigit(w[0])) ?? first.Trim();
    }

    /// <summary>"host (x86_64, Linux 6.18, NVIDIA driver 580.159.04)".</summary>
    public override string ToString() => $"{Host} ({Architecture}, Linux {Kernel}, {(Driver is null ? "no NVIDIA driver" : "NVIDIA driver " + Driver)})";
}
