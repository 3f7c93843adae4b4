namespace GpuOsSpec.Tracing.Building;

/// <summary>What the orchestrator (an in-process session or a command run) knows of a capture, beside what the source
/// recorded.</summary>
internal sealed record CaptureTarget
{
    /// <summary>"pid N (this process)" or the command line.</summary>
    internal required string Target { get; init; }
    internal required long StartNs { get; init; }
    internal required long EndNs { get; init; }
    internal IReadOnlyList<Phase> Phases { get; init; } = [];

    /// <summary>Thread names from /proc snapshots (in-process); the source's own names win.</summary>
    internal IReadOnlyDictionary<int, (int Pid, string Name)> Threads { get; init; } = new Dictionary<int, (int, string)>();
    internal IReadOnlySet<int> WorkloadTids { get; init; } = new HashSet<int>();
    internal IReadOnlySet<int> TracerTids { get; init; } = new HashSet<int>();
    internal IReadOnlySet<int>? RuntimeTids { get; init; }
    internal IReadOnlySet<int>? ForeignRuntimeTids { get; init; }

    /// <summary>
    /// In process: other code (other tests) shares the process with the workload, so a GPU runtime thread that a thread
    /// outside the default view starts during the capture is that code's (<see cref="ThreadOrigin.Foreign"/>).
    /// </summary>
    internal bool SharedProcess { get; init; }

    /// <summary>The origin of a thread nothing else labels: workload for a command, none in process.</summary>
    internal ThreadOrigin FallbackOrigin { get; init; } = ThreadOrigin.Workload;

    internal IReadOnlyList<RuntimeEvent> RuntimeEvents { get; init; } = [];
    internal bool RuntimeRecorded { get; init; }
    internal long LostRuntime { get; init; }

    /// <summary>Per-thread /proc counters over the capture (in-process targets).</summary>
    internal IReadOnlyList<ThreadCounters> ThreadCounters { get; init; } = [];

    /// <summary>In process: how many control syscalls the session made; null for a command.</summary>
    internal int? ControlsMade { get; init; }

    internal string? IncompleteReason { get; init; }
    internal int? ExitCode { get; init; }
    internal int? Signal { get; init; }
    internal IReadOnlyList<string> Notes { get; init; } = [];
}
