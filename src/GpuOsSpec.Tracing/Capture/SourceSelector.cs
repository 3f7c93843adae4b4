using GpuOsSpec.Tracing.Capture.PerfEvents;
using GpuOsSpec.Tracing.Capture.ProcFs;
using GpuOsSpec.Tracing.Capture.Strace;

namespace GpuOsSpec.Tracing.Capture;

/// <summary>Picks the capture source: the one asked for, or with Auto the most precise one permitted, saying why others were passed over.</summary>
public static class SourceSelector
{
    /// <summary>Every syscall-capable source in order of precision, then /proc.</summary>
    public static IReadOnlyList<ICaptureSource> All { get; } = [new PerfEventSource(), new StraceSource(), new ProcFsSource()];

    private static readonly CaptureSourceKind[] s_kinds = [CaptureSourceKind.Perf, CaptureSourceKind.Strace, CaptureSourceKind.Proc];

    /// <summary>Whether <paramref name="kind"/> can run here, with the fix when it cannot.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For <see cref="CaptureSourceKind.Auto"/>, which is a choice, not a source.</exception>
    public static CapabilityCheck Check(CaptureSourceKind kind) => Source(kind).Check();

    private static ICaptureSource Source(CaptureSourceKind kind) => Array.IndexOf(s_kinds, kind) is >= 0 and var i
        ? All[i]
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Auto is a choice among sources, not a source.");

    /// <summary>Chooses a source.</summary>
    /// <param name="requested">The source asked for.</param>
    /// <param name="notes">Receives one line per source passed over, with its fix.</param>
    /// <exception cref="TracerException">When a specific source was asked for and cannot run; the message has the fix.</exception>
    public static CaptureSourceKind Choose(CaptureSourceKind requested, List<string> notes)
    {
        if (requested != CaptureSourceKind.Auto)
        {
            var source = Source(requested);
            var check = source.Check();
            return check.Available
                ? requested
                : throw new TracerException($"The capture source \"{source.Id}\" cannot run here: {check.Missing}. Fix: {check.Fix}. Or use --source auto to fall back.");
        }
        foreach (var (source, kind) in All.Zip(s_kinds))
        {
            var check = source.Check();
            if (check.Available)
            {
                return kind;
            }
            notes.Add($"{source.Id} unavailable: {check.Missing}. Fix: {check.Fix}.");
        }
        return CaptureSourceKind.Proc;
    }
}
