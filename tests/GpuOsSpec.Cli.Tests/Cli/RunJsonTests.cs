using System.Text;
using System.Text.RegularExpressions;
using GpuOsSpec.Cli.Commands;
using GpuOsSpec.Cli.Runs;
using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Syscalls;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Workloads.Catalogue;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>
/// The run JSON (gpuosspec.run/1) of fixed outcomes, byte for byte as recorded in Golden/: whoever writes which part of
/// it, a report reader sees the same file. Only recordedAt, the time of writing, is left out.
/// </summary>
public partial class RunJsonTests
{
    private const int Workload = 100;
    private const int Runtime = 101;

    [Theory]
    [InlineData("run-perf.json")]
    [InlineData("run-proc.json")]
    public void The_run_json_of_a_fixed_outcome_is_as_recorded(string golden)
    {
        var outcome = golden == "run-perf.json" ? PerfOutcome() : ProcOutcome();
        using var stream = new MemoryStream();

        RunCommand.WriteJson(outcome, stream, smoke: golden == "run-perf.json");

        string json = RecordedAt().Replace(Encoding.UTF8.GetString(stream.ToArray()), "\"recordedAt\": \"(left out)\"");
        json.Should().Be(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", golden)));
    }

    [GeneratedRegex("\"recordedAt\": \"[^\"]*\"")]
    private static partial Regex RecordedAt();

    // A perf capture of a successful run: syscalls with an ioctl, an error and a phase the trace does not have.
    private static TracedRun.Outcome PerfOutcome()
    {
        var ioctl = IoctlDecoder.Decode("/dev/nvidiactl", 5, 0xc020462a);
        SyscallEvent Call(string name, long atNs, int tid = Workload, long result = 0, IoctlInfo? io = null) =>
            new(tid, SyscallTable.X64.Number(name) ?? -1, name, io?.Role ?? SyscallRoles.Of(name), atNs, atNs + 1_000, result, default, io);
        List<SyscallEvent> calls =
        [
            Call("mmap", 100_000), Call("openat", 200_000, result: -2), Call("ioctl", 300_000, io: ioctl),
            Call("futex", 1_200_000, Runtime), Call("futex", 1_300_000, Runtime), Call("ioctl", 1_400_000, io: ioctl),
        ];
        List<ContextSwitchEvent> switches = [new(Workload, 1_100_000, true, 0), new(Runtime, 1_500_000, false, 1)];
        List<PageFaultEvent> faults = [new(Workload, 150_000, false, 0x7f0000001000), new(Workload, 1_600_000, true, 0x7f0000002000)];
        var trace = new Trace
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            Target = "pid 100 (this process)",
            Architecture = "x86_64",
            KernelRelease = "6.18.0-test",
            StartNs = 0,
            EndNs = 3_000_000,
            Threads =
            [
                new(Workload, Workload, "gpuosspec", ThreadOrigin.Workload, null, false),
                new(Runtime, Workload, "cuda-EvtHandlr", ThreadOrigin.GpuRuntime, Workload, true, 50_000),
                new(102, Workload, ".NET \"TP\" Worker", ThreadOrigin.DotNetRuntime, null, false),
                new(103, Workload, "gpuosspec-trace", ThreadOrigin.Tracer, null, false),
                new(104, Workload, "gone", ThreadOrigin.None, null, true),
            ],
            Phases = [new("setup", "setup", 0, 1_000_000, Workload), new("steady", "steady", 1_000_000, 2_000_000, Workload)],
            ApiCalls = [new ApiCall("cuLaunchKernel", "libcuda.so.1", Workload, 1_050_000, 1_060_000) { Syscalls = 1, Ioctls = 1, PageFaults = 0 }],
            ApiCallsRecorded = true,
            ApiFaultsMeasured = true,
            ApiLibrariesProbed = ["libcuda.so.1"],
            Syscalls = calls,
            SyscallTotals = calls.GroupBy(c => c.Name).Select(g => new SyscallTotal(g.Key, SyscallRoles.Of(g.Key), g.LongCount(), g.LongCount(c => c.Failed), 1_000 * g.LongCount(), true)).ToList(),
            SyscallsMeasured = true,
            ContextSwitches = switches,
            ContextSwitchEventsRecorded = true,
            PageFaults = faults,
            PageFaultEventsRecorded = true,
            VoluntarySwitches = new Measurement(1, "perf"),
            InvoluntarySwitches = new Measurement(1, "perf"),
            MinorFaults = new Measurement(1, "perf"),
            MajorFaults = new Measurement(1, "perf"),
            MappingChanges = [],
            RuntimeEvents = [],
            RuntimeEventsRecorded = false,
            ThreadCounters = [],
            LostEvents = 0,
            LostRuntimeEvents = 0,
            Incomplete = false,
            Notes = ["a note"],
        };
        var result = new WorkloadResult
        {
            Workload = "launch-storm",
            Backend = "cuda",
            Device = "NVIDIA H200 \"SXM\"",
            Settings = new Dictionary<string, string> { ["launches"] = "1000", ["sync"] = "auto" },
            Phases =
            [
                new PhaseResult("setup", 1_000_000, new Dictionary<string, long>()),
                new PhaseResult("steady", 999_999, new Dictionary<string, long> { ["launches"] = 1_000, ["syncs"] = 1 }),
                new PhaseResult("teardown", 5_000, new Dictionary<string, long> { ["frees"] = 3 }),
            ],
            Checks = [new WorkloadCheck("vector add matches the CPU", true, "4096 floats"), new WorkloadCheck("ü \"quoted\" <b>", true, "α & ω")],
        };
        return new TracedRun.Outcome(result, trace);
    }

    // A /proc capture (no syscall source) of a failed run through gpuos: every syscall figure is null, never 0.
    private static TracedRun.Outcome ProcOutcome()
    {
        var trace = new Trace
        {
            Source = CaptureSourceKind.Proc,
            Mode = CaptureMode.Counters,
            Target = "pid 100 (this process)",
            Architecture = "x86_64",
            KernelRelease = "6.18.0-test",
            StartNs = 0,
            EndNs = 2_000_000,
            Threads = [new(Workload, Workload, "gpuosspec", ThreadOrigin.Workload, null, false)],
            Phases = [new("setup", "setup", 0, 1_000_000, Workload)],
            Syscalls = [],
            SyscallTotals = [],
            SyscallsMeasured = false,
            ContextSwitches = [],
            ContextSwitchEventsRecorded = false,
            PageFaults = [],
            PageFaultEventsRecorded = false,
            VoluntarySwitches = new Measurement(7, "/proc"),
            InvoluntarySwitches = Measurement.Absent("not recorded"),
            MinorFaults = new Measurement(40, "/proc"),
            MajorFaults = new Measurement(0, "/proc"),
            MappingChanges = [],
            RuntimeEvents = [],
            RuntimeEventsRecorded = false,
            ThreadCounters = [],
            LostEvents = 12,
            Control = new PositiveControl(1, 0, "a marker getppid"),
            LostRuntimeEvents = 0,
            Incomplete = false,
            Notes = [],
        };
        var result = new WorkloadResult
        {
            Workload = "sync-cadence",
            Backend = "opencl",
            Execution = ExecutionPath.GpuOs,
            Settings = new Dictionary<string, string> { ["every"] = "10" },
            Phases = [new PhaseResult("setup", 1_000_000, new Dictionary<string, long> { ["launches"] = 3 })],
            Checks = [new WorkloadCheck("every event completed", false, "2 of 3")],
            Error = "clFinish: CL_OUT_OF_RESOURCES",
            FailedPhase = "steady",
        };
        return new TracedRun.Outcome(result, trace);
    }
}
