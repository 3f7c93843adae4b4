namespace GpuOsSpec.Cli.Commands;

/// <summary>What a verb captures with when the command line does not say: `trace` the cheap hybrid mode, `baseline`
/// what its profile needs.</summary>
/// <param name="Source">The source.</param>
/// <param name="Mode">The perf mode.</param>
/// <param name="Api">The libraries probed.</param>
internal sealed record CaptureDefaults(CaptureSourceKind Source, PerfMode Mode, ApiLibraries Api)
{
    /// <summary>The most precise source permitted, hybrid mode, no probes.</summary>
    internal static CaptureDefaults Command { get; } = new(CaptureSourceKind.Auto, PerfMode.Hybrid, ApiLibraries.None);
}
