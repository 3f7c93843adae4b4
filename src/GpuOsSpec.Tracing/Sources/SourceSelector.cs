namespace GpuOsSpec.Tracing.Sources;

/// <summary>Picks the capture source: the one asked for, or with Auto the most precise one permitted, saying why others
/// were passed over.</summary>
public static class SourceSelector
{
    // The sources that record syscalls, in order of precision, then /proc: Auto takes the first that can run.
    private static readonly ISyscallSource[] s_syscallSources = [new PerfEventSource(), new StraceSource(), new ProcFsSource()];

    private static readonly EventPipeSource s_runtimeEvents = new();

    /// <summary>Every syscall-capable source in order of precision, then /proc.</summary>
    public static IReadOnlyList<ICaptureSource> All { get; } = s_syscallSources;

    /// <summary>Every source: those of syscalls, then the .NET runtime's events (EventPipe) that in-process traces can
    /// add.</summary>
    public static IReadOnlyList<ICaptureSource> Every { get; } = [.. s_syscallSources, s_runtimeEvents];

    /// <summary>The source of .NET runtime events.</summary>
    internal static IRuntimeEventSource RuntimeEvents => s_runtimeEvents;

    /// <summary>Whether <paramref name="kind"/> can run here, with the fix when it cannot.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For <see cref="CaptureSourceKind.Auto"/>, which is a choice, not a
    /// source.</exception>
    public static CapabilityCheck Check(CaptureSourceKind kind) => Source(kind).Check();

    /// <summary>A fresh backend of <paramref name="kind"/> (already chosen by <see cref="Choose"/>).</summary>
    internal static ICaptureBackend CreateBackend(CaptureSourceKind kind, CaptureOptions options) => Source(kind).CreateBackend(options);

    private static ISyscallSource Source(CaptureSourceKind kind) =>
        s_syscallSources.FirstOrDefault(s => s.Kind == kind)
        ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "Auto is a choice among sources, not a source.");

    /// <summary>Chooses a source.</summary>
    /// <param name="requested">The source asked for.</param>
    /// <param name="notes">Receives one line per source passed
    /// over, with its fix.</param>
    /// <exception cref="TracerException">When a specific source was asked for and cannot
    /// run; the message has the fix.</exception>
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
        foreach (var source in s_syscallSources)
        {
            var check = source.Check();
            if (check.Available)
            {
                return source.Kind;
            }
            notes.Add($"{source.Id} unavailable: {check.Missing}. Fix: {check.Fix}.");
        }
        return CaptureSourceKind.Proc;
    }
}
