using System.Text.Json;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Tests.Export;

/// <summary>API calls' page faults, and so their OS-invisibility, are shown as not measured when the capture could not
/// see them (joined from perf samples with fault events off), never as 0.</summary>
public class ApiFaultsExportTests
{
    private const int Tid = 100;

    // One call that made a syscall, one that made none: with faults unmeasured, the second may have faulted.
    private static Trace TraceWithApiCalls(bool faultsMeasured, CaptureMode mode = CaptureMode.Full, bool inKernel = false) => new()
    {
        Source = CaptureSourceKind.Perf,
        Mode = mode,
        ApiCallsCountedInKernel = inKernel,
        Target = "test",
        Architecture = "x86_64",
        KernelRelease = "6.18",
        StartNs = 0,
        EndNs = 10_000,
        Threads = [new TraceThread(Tid, Tid, "worker", ThreadOrigin.Workload, null, false)],
        Phases = [],
        ApiCalls =
        [
            new ApiCall("cuLaunchKernel", "libcuda.so.1", Tid, 1_000, 1_500) { Syscalls = 1, PageFaults = faultsMeasured ? 0 : null },
            new ApiCall("cuLaunchKernel", "libcuda.so.1", Tid, 2_000, 2_500) { PageFaults = faultsMeasured ? 0 : null },
        ],
        ApiCallsRecorded = true,
        ApiFaultsMeasured = faultsMeasured,
        Syscalls = [new SyscallEvent(Tid, 110, "getppid", SyscallRole.Other, 1_100, 1_200, 1, default, null)],
        SyscallTotals = [new SyscallTotal("getppid", SyscallRole.Other, 1, 0, 100, true)],
        SyscallsMeasured = true,
        ContextSwitches = [],
        ContextSwitchEventsRecorded = true,
        PageFaults = [],
        PageFaultEventsRecorded = faultsMeasured,
        VoluntarySwitches = new Measurement(0, "perf"),
        InvoluntarySwitches = new Measurement(0, "perf"),
        MinorFaults = faultsMeasured ? new Measurement(0, "perf") : Measurement.Absent("not measured"),
        MajorFaults = faultsMeasured ? new Measurement(0, "perf") : Measurement.Absent("not measured"),
        MappingChanges = [],
        RuntimeEvents = [],
        RuntimeEventsRecorded = false,
        ThreadCounters = [],
        LostEvents = 0,
        LostRuntimeEvents = 0,
        Incomplete = false,
        Notes = [],
    };

    private static JsonElement Launch(Trace trace)
    {
        using var stream = new MemoryStream();
        TraceJsonExporter.Write(trace, stream);
        var root = JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
        return root.GetProperty("apiCalls").EnumerateArray().Should().ContainSingle().Subject;
    }

    [Fact]
    public void Unmeasured_faults_leave_faults_and_OS_invisibility_null_in_the_JSON()
    {
        var launch = Launch(TraceWithApiCalls(faultsMeasured: false));

        launch.GetProperty("calls").GetInt32().Should().Be(2);
        launch.GetProperty("syscalls").GetInt32().Should().Be(1);
        launch.GetProperty("pageFaults").ValueKind.Should().Be(JsonValueKind.Null, "no fault was recorded");
        launch.GetProperty("osInvisible").ValueKind.Should().Be(JsonValueKind.Null, "the call without a syscall may have faulted");
        launch.GetProperty("osInvisibleShare").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Measured_faults_give_numbers_in_the_JSON()
    {
        var launch = Launch(TraceWithApiCalls(faultsMeasured: true));

        launch.GetProperty("pageFaults").GetInt32().Should().Be(0);
        launch.GetProperty("osInvisible").GetInt32().Should().Be(1, "the second call left no syscall, switch or fault");
        launch.GetProperty("osInvisibleShare").GetDouble().Should().Be(0.5);
    }

    [Fact]
    public void Syscalls_and_OS_invisibility_of_API_calls_joined_from_samples_in_hybrid_mode_are_null_in_the_JSON()
    {
        // Hybrid mode records only its decode set per event: the call without a recorded syscall may have made any
        // other, so calling it OS-invisible, or its syscalls 1, is a figure on nothing.
        var launch = Launch(TraceWithApiCalls(faultsMeasured: true, CaptureMode.Hybrid));

        launch.GetProperty("calls").GetInt32().Should().Be(2);
        launch.GetProperty("syscalls").ValueKind.Should().Be(JsonValueKind.Null, "only the decode set's syscalls were joined to the calls");
        launch.GetProperty("osInvisible").ValueKind.Should().Be(JsonValueKind.Null, "the call without a recorded syscall may have made an unrecorded one");
        launch.GetProperty("osInvisibleShare").ValueKind.Should().Be(JsonValueKind.Null);
        launch.GetProperty("ioctls").GetInt32().Should().Be(0, "every ioctl is an event in every mode");
    }

    [Fact]
    public void Syscalls_and_OS_invisibility_of_API_calls_counted_in_the_kernel_are_numbers_in_hybrid_mode()
    {
        var launch = Launch(TraceWithApiCalls(faultsMeasured: true, CaptureMode.Hybrid, inKernel: true));

        launch.GetProperty("syscalls").GetInt32().Should().Be(1);
        launch.GetProperty("osInvisible").GetInt32().Should().Be(1);
    }

    [Fact]
    public void The_summary_shows_syscalls_per_call_joined_from_samples_in_hybrid_mode_as_n_a_and_says_why()
    {
        string summary = TraceSummary.Render(TraceWithApiCalls(faultsMeasured: true, CaptureMode.Hybrid));

        var row = summary.Split('\n').Should().ContainSingle(l => l.TrimStart().StartsWith("cuLaunchKernel", StringComparison.Ordinal)).Subject;
        row.Should().MatchRegex(@"cuLaunchKernel\s+2\s+n/a\s");
        summary.Should().Contain("syscalls/call and OS-invisible n/a: the API calls were joined from perf samples, not counted in the kernel");
    }

    [Fact]
    public void The_summary_shows_unmeasured_faults_and_OS_invisibility_as_n_a_and_says_why()
    {
        string summary = TraceSummary.Render(TraceWithApiCalls(faultsMeasured: false));

        var row = summary.Split('\n').Should().ContainSingle(l => l.TrimStart().StartsWith("cuLaunchKernel", StringComparison.Ordinal)).Subject;
        row.TrimEnd().Should().EndWith("n/a          n/a");
        summary.Should().Contain("faults/call and OS-invisible n/a: page faults were not recorded as events (--no-fault-events, or left to hybrid mode's phase counter: --fault-events records them)");
    }
}
