namespace GpuOsSpec.Tracing.Sources;

/// <summary>Settings of a capture.</summary>
public sealed record CaptureOptions
{
    /// <summary>The source to record syscalls with. <see cref="CaptureSourceKind.Auto"/> picks the most precise one
    /// permitted.</summary>
    public CaptureSourceKind Source { get; init; } = CaptureSourceKind.Auto;

    /// <summary>The perf mode; null picks <see cref="PerfMode.Hybrid"/> for commands and <see cref="PerfMode.Full"/>
    /// in-process.</summary>
    public PerfMode? Mode { get; init; }

    /// <summary>
    /// Pages (4 KiB) per CPU ring buffer; a power of two, or null for the default: 2048 in hybrid mode, 16384 in full
    /// mode on a command (a 2,000,000-syscall storm fits without loss), 4096 in-process (a yield-mode wait makes
    /// thousands of syscalls per millisecond). Small buffers lose events under bursts.
    /// </summary>
    public int? BufferPages { get; init; }

    /// <summary>The buffer size in effect for a mode and target.</summary>
    public int EffectiveBufferPages(PerfMode mode, bool inProcess) =>
        BufferPages ?? (inProcess ? 4096 : mode == PerfMode.Full ? 16384 : 2048);

    /// <summary>
    /// Full mode: pair perf's sys_enter and sys_exit samples in user space, as full mode did before the kernel joined
    /// them (and still does where eBPF cannot load). For tests that hold both ways to the same trace.
    /// </summary>
    internal bool PairSyscallsInUserSpace { get; init; }

    /// <summary>
    /// Hybrid mode with markers: the phase counter's ring buffer is read only at the capture's end, so that a run with
    /// more markers than it holds loses some for certain. For tests that show a lost marker makes the trace
    /// inconclusive.
    /// </summary>
    internal bool PhaseEventsReadAtEndOnly { get; init; }

    /// <summary>
    /// Hybrid mode with markers: the embedded eBPF object the phase counter loads (null: its own). Tests name one that
    /// does not exist, to show that markers are then read from perf samples, as before the counter read them.
    /// </summary>
    internal string? PhaseCounterObject { get; init; }

    /// <summary>Record page faults one by one (perf). Counters are kept either way.</summary>
    public bool RecordPageFaults { get; init; } = true;

    /// <summary>
    /// Hybrid mode on a command with <see cref="GpuOsLibrary"/>: record page faults one by one (as
    /// <see cref="RecordPageFaults"/> says) also where hybrid mode's phase counter loads and sums each thread's faults
    /// per phase run in the kernel. False: where the counter loads, a fault costs no perf sample, and the trace's
    /// faults (the whole capture's, each thread's and each gpuos phase's) are the counter's sums; no fault has a time,
    /// an address or a Perfetto instant, the API calls joined from perf samples have no faults (null), and a counter
    /// whose fault programs do not attach leaves the phases' faults not measured, never 0. Where it does not load (full
    /// mode, no markers, no eBPF), <see cref="RecordPageFaults"/> holds. `gpuosspec trace`, `check` and `baseline`
    /// set it false unless told --fault-events, --perfetto or --api-samples.
    /// </summary>
    public bool FaultEventsWhereCounted { get; init; } = true;

    /// <summary>
    /// Threads known to belong to a GPU runtime (in-process targets): a runtime that does not name its threads leaves
    /// them with the name of the thread that created them, which can look like a .NET runtime thread.
    /// </summary>
    public IReadOnlySet<int>? KnownRuntimeTids { get; init; }

    /// <summary>
    /// GPU runtime threads that belong to another user of this process (in-process targets; another test class's
    /// contexts, say): they, and threads they create, are labelled <see cref="Model.ThreadOrigin.Foreign"/> and stay
    /// out of the default view.
    /// </summary>
    public IReadOnlySet<int>? ForeignRuntimeTids { get; init; }

    /// <summary>
    /// Asked for more of <see cref="KnownRuntimeTids"/> and <see cref="ForeignRuntimeTids"/> when the trace is built
    /// (in-process targets), so threads the caller learns of while the capture runs are labelled too.
    /// </summary>
    public IRuntimeThreadRegistry? RuntimeThreads { get; init; }

    /// <summary>
    /// A libgpuos.so whose markers become the trace's phases (perf source): an entry uprobe on its gpuos_probe_marker.
    /// A traced command gets GPUOS_LIBRARY set to it, so the gpuos bindings load this copy.
    /// </summary>
    public string? GpuOsLibrary { get; init; }

    /// <summary>
    /// Vendor libraries whose curated API entry points get entry and return uprobes (perf source), so each syscall,
    /// context switch and fault is attributed to the API call that encloses it on its thread.
    /// </summary>
    public ApiLibraries ApiLibraries { get; init; }

    /// <summary>
    /// Full mode on a command with gpuos markers: also run hybrid mode's phase counter on the same run, and hold each
    /// phase's per-event syscall figures to its counts (Trace.PhaseCrossCheck), so the two modes are compared without
    /// the noise between two runs. The counts stay out of the trace's figures. Needs <see cref="Source"/> perf,
    /// <see cref="Mode"/> full and <see cref="GpuOsLibrary"/>.
    /// </summary>
    public bool CrossCheckPhases { get; init; }

    /// <summary>
    /// Sample every API probe hit with perf and join entries, returns and events by time in user space, instead of
    /// counting per call in the kernel with eBPF (the default where eBPF loads; where it does not, samples are used
    /// anyway, with a note). Costs more per probed call; kept to compare and as the fallback.
    /// </summary>
    public bool ApiSamples { get; init; }

    /// <summary>Run an EventPipe session for .NET runtime events (in-process targets).</summary>
    public bool DotNetRuntimeEvents { get; init; }

    /// <summary>Validates the options.</summary>
    /// <exception cref="ArgumentException">When a value is out of range; the message says the valid range.</exception>
    public void Validate()
    {
        if (BufferPages is { } pages && (pages < 1 || (pages & (pages - 1)) != 0 || pages > 1 << 20))
        {
            throw new ArgumentException($"BufferPages must be a power of two from 1 to 1048576, not {BufferPages}.", nameof(BufferPages));
        }
        if (CrossCheckPhases && (Source != CaptureSourceKind.Perf || Mode != PerfMode.Full || GpuOsLibrary is null))
        {
            throw new ArgumentException("CrossCheckPhases holds full mode's per-phase figures to hybrid mode's phase counter on the same run: it needs Source = Perf, Mode = Full and a GpuOsLibrary whose markers make the phases.", nameof(CrossCheckPhases));
        }
    }
}
