using GpuOsSpec.Tracing.Capture.PerfEvents;
using GpuOsSpec.Tracing.Capture.ProcFs;
using GpuOsSpec.Tracing.Capture.Strace;

namespace GpuOsSpec.Tracing.Capture;

/// <summary>Picks the capture source: the one asked for, or with Auto the most precise one permitted, saying why others were passed over.</summary>
public static class SourceSelector
{
    /// <summary>Every syscall-capable source in order of precision, then /proc.</summary>
    public static IReadOnlyList<ICaptureSource> All { get; } = [new PerfEventSource(), new StraceSource(), new ProcFsSource()];

    /// <summary>Chooses a source.</summary>
    /// <param name="requested">The source asked for.</param>
    /// <param name="notes">Receives one line per source passed over, with its fix.</param>
    /// <exception cref="TracerException">When a specific source was asked for and cannot run; the message has the fix.</exception>
    public static CaptureSourceKind Choose(CaptureSourceKind requested, List<string> notes)
    {
        if (requested != CaptureSourceKind.Auto)
        {
            var source = All[requested switch { CaptureSourceKind.Perf => 0, CaptureSourceKind.Strace => 1, _ => 2 }];
            var check = source.Check();
            return check.Available
                ? requested
                : throw new TracerException($"The capture source \"{source.Id}\" cannot run here: {check.Missing}. Fix: {check.Fix}. Or use --source auto to fall back.");
        }
        foreach (var (source, kind) in All.Zip(new[] { CaptureSourceKind.Perf, CaptureSourceKind.Strace, CaptureSourceKind.Proc }))
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
