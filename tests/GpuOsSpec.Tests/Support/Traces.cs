using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Syscalls;

namespace GpuOsSpec.Tests.Support;

/// <summary>Builds traces by hand, so every assertion can be driven to pass and to fail with known evidence.</summary>
public sealed class Traces
{
    public const int Workload = 100;
    public const int GpuThread = 101;
    public const int DotNet = 102;
    private readonly List<SyscallEvent> _calls = [];
    private readonly List<ContextSwitchEvent> _switches = [];
    private readonly List<PageFaultEvent> _faults = [];
    private readonly List<MappingChange> _mappings = [];
    private readonly List<RuntimeEvent> _runtime = [];
    private readonly List<TraceThread> _threads =
    [
        new(Workload, Workload, "testhost", ThreadOrigin.Workload, null, false),
        new(GpuThread, Workload, "cuda-EvtHandlr", ThreadOrigin.GpuRuntime, Workload, true, 1_500_000),
        new(DotNet, Workload, ".NET TP Worker", ThreadOrigin.DotNetRuntime, null, false),
    ];
    private readonly List<SyscallTotal> _counted = [];
    private long _lost;
    private long _countersLost;
    private bool _runtimeRecorded;
    private PositiveControl? _control;

    /// <summary>Phase "steady" spans 1 ms to 2 ms; "setup" 0 to 1 ms.</summary>
    public static IReadOnlyList<Phase> Phases { get; } = [new("setup", "setup", 0, 1_000_000, Workload), new("steady", "steady", 1_000_000, 2_000_000, Workload)];

    public Traces Call(string name, long atNs, int tid = Workload, long result = 0, IoctlInfo? ioctl = null, SyscallArgs args = default)
    {
        var role = ioctl?.Role ?? SyscallRoles.Of(name);
        _calls.Add(new SyscallEvent(tid, SyscallTable.X64.Number(name) ?? -1, name, role, atNs, atNs + 1000, result, args, ioctl));
        return this;
    }

    /// <summary>An openat that returned fd 5, with the path the capture read for it (null: not read).</summary>
    public Traces Open(string? path, long atNs, int tid = Workload)
    {
        _calls.Add(new SyscallEvent(tid, SyscallTable.X64.Number("openat") ?? -1, "openat", SyscallRole.DeviceFileIo, atNs, atNs + 1000, 5, default, null)
        {
            OpenedPath = path,
        });
        return this;
    }

    public Traces Calls(string name, int count, long fromNs, int tid = Workload)
    {
        for (int i = 0; i < count; i++)
        {
            Call(name, fromNs + i * 10, tid);
        }
        return this;
    }

    public Traces Ioctl(string device, ulong request, long atNs) =>
        Call("ioctl", atNs, ioctl: IoctlDecoder.Decode(device, 5, request));

    public Traces Switch(long atNs, bool voluntary, int tid = Workload)
    {
        _switches.Add(new ContextSwitchEvent(tid, atNs, voluntary, 0));
        return this;
    }

    public Traces Fault(long atNs, bool major = false)
    {
        _faults.Add(new PageFaultEvent(Workload, atNs, major, 0x7f0000001000));
        return this;
    }

    public Traces Mapping(long atNs, MappingChangeKind kind = MappingChangeKind.Map, string? device = null, ulong address = 0x7f0000000000)
    {
        _mappings.Add(new MappingChange(Workload, atNs, kind, address, 4096, 3, device));
        return this;
    }

    public Traces Runtime(long atNs, RuntimeEventKind kind, string name, string detail, int tid = Workload)
    {
        _runtimeRecorded = true;
        _runtime.Add(new RuntimeEvent(atNs, tid, kind, name, detail));
        return this;
    }

    public Traces WithRuntimeEvents()
    {
        _runtimeRecorded = true;
        return this;
    }

    public Traces Lost(long count)
    {
        _lost = count;
        return this;
    }

    /// <summary>Counts hybrid mode's in-kernel counters lost: they are part of the lost events too.</summary>
    public Traces CountersLost(long count)
    {
        _countersLost = count;
        _lost += count;
        return this;
    }

    /// <summary>Calls the kernel counted without events, as hybrid mode's eBPF counter does: no time, no
    /// thread.</summary>
    public Traces Counted(string name, long count)
    {
        _counted.Add(new SyscallTotal(name, SyscallRoles.Of(name), count, null, null, false));
        return this;
    }

    /// <summary>A vendor API call seen by probes, with the syscalls inside it (the attribution is given, not
    /// computed).</summary>
    public Traces Api(string name, long startNs, long endNs, int syscalls = 0, int tid = Workload)
    {
        _api.Add(new ApiCall(name, "libtest.so", tid, startNs, endNs) { Syscalls = syscalls, PageFaults = 0 });
        return this;
    }

    /// <summary>The API calls were counted in the kernel (api.bpf.c), losing <paramref name="lost"/> counts; without
    /// it they were joined from perf samples.</summary>
    public Traces ApiCountedInKernel(long lost = 0)
    {
        _apiInKernel = true;
        _apiLost = lost;
        return this;
    }

    public Traces Control(int expected, int seen)
    {
        _control = new PositiveControl(expected, seen, "test controls");
        return this;
    }

    private readonly List<ApiCall> _api = [];
    private bool _apiInKernel;
    private long _apiLost;
    private readonly List<CpuSlice> _cpu = [];
    private IReadOnlyList<Phase> _phases = Phases;
    private int? _exitCode;
    private CaptureMode? _mode;
    private bool _perEvent = true;

    /// <summary>The trace's phases, instead of <see cref="Phases"/>.</summary>
    public Traces WithPhases(params Phase[] phases)
    {
        _phases = phases;
        return this;
    }

    /// <summary>The traced command's exit code.</summary>
    public Traces Exited(int code)
    {
        _exitCode = code;
        return this;
    }

    /// <summary>A stretch the thread ran on its CPU; the trace then records on-CPU time.</summary>
    public Traces OnCpu(long fromNs, long toNs, int tid = Workload, bool leftRunnable = false)
    {
        _cpu.Add(new CpuSlice(tid, fromNs, toNs) { LeftRunnable = leftRunnable });
        return this;
    }

    /// <summary>How syscalls were recorded (by default full, or hybrid when calls were counted).</summary>
    public Traces InMode(CaptureMode mode)
    {
        _mode = mode;
        return this;
    }

    /// <summary>Context switches and page faults counted for the whole capture (as /proc counts them), not per
    /// event.</summary>
    public Traces WholeCaptureCounts()
    {
        _perEvent = false;
        return this;
    }

    public Trace Build(CaptureSourceKind source = CaptureSourceKind.Perf, bool syscallsMeasured = true, bool apiProbed = false) => new()
    {
        ApiCalls = _api,
        ApiCallsRecorded = apiProbed || _api.Count > 0,
        ApiCallsCountedInKernel = _apiInKernel,
        ApiFaultsMeasured = (apiProbed || _api.Count > 0) && _perEvent,
        ApiLibrariesProbed = apiProbed || _api.Count > 0 ? ["libtest.so"] : [],
        OnCpu = _cpu,
        OnCpuRecorded = _cpu.Count > 0,
        ExitCode = _exitCode,
        Source = source,
        Mode = _mode ?? (_counted.Count > 0 ? CaptureMode.Hybrid : CaptureMode.Full),
        Target = "pid 100 (this process)",
        Architecture = "x86_64",
        KernelRelease = "test",
        StartNs = 0,
        EndNs = 3_000_000,
        Threads = _threads,
        Phases = _phases,
        Syscalls = _calls.OrderBy(c => c.EnterNs).ToList(),
        SyscallTotals = syscallsMeasured ? _calls.GroupBy(c => c.Name).Select(g => new SyscallTotal(g.Key, SyscallRoles.Of(g.Key), g.LongCount(), 0, 0, true)).Concat(_counted).ToList() : [],
        SyscallsMeasured = syscallsMeasured,
        ContextSwitches = _switches,
        ContextSwitchEventsRecorded = _perEvent,
        PageFaults = _faults,
        PageFaultEventsRecorded = _perEvent,
        VoluntarySwitches = new Measurement(_switches.LongCount(s => s.Voluntary), _perEvent ? "perf" : "/proc"),
        InvoluntarySwitches = new Measurement(_switches.LongCount(s => !s.Voluntary), _perEvent ? "perf" : "/proc"),
        MinorFaults = new Measurement(_faults.LongCount(f => !f.Major), _perEvent ? "perf" : "/proc"),
        MajorFaults = new Measurement(_faults.LongCount(f => f.Major), _perEvent ? "perf" : "/proc"),
        MappingChanges = _mappings,
        RuntimeEvents = _runtime,
        RuntimeEventsRecorded = _runtimeRecorded,
        ThreadCounters = [],
        LostEvents = _lost + _apiLost,
        ApiCountsLost = _apiLost,
        CountersLost = _countersLost,
        Control = _control,
        LostRuntimeEvents = 0,
        Incomplete = false,
        Notes = [],
    };
}
