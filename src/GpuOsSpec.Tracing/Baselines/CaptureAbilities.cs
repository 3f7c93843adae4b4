namespace GpuOsSpec.Tracing.Baselines;

/// <summary>What a capture can measure, as a baseline needs to know it: of a run that was traced, or of one about to
/// be.</summary>
/// <param name="Syscalls">Syscalls were seen (not the /proc counters).</param>
/// <param name="Mode">How
/// syscalls were recorded.</param>
/// <param name="ApiCalls">Vendor API calls were probed.</param>
/// <param name="SwitchEvents">Every context switch was an event (so phases have switches).</param>
/// <param name="WholeSwitches">The whole capture's switches were measured some way (events, rusage, /proc).</param>
/// <param name="FaultEvents">Every page fault was an event.</param>
/// <param name="WholeFaults">The whole capture's
/// faults were measured some way.</param>
/// <param name="OnCpu">Threads' arrivals on and departures from their CPUs were
/// recorded.</param>
/// <param name="PhaseSyscalls">Hybrid mode's phase counter placed every syscall it counted in its phase runs (of a
/// plan: is to run).</param>
/// <param name="PhaseActivity">Hybrid mode's phase counter counted context switches and page faults per phase run
/// and placed every count (of a plan: is to run), so phases have them where they are not events.</param>
/// <param name="ApiSyscalls">Every syscall inside each API call was counted: the calls were counted in the kernel, or
/// every syscall was an event (full mode). Of a plan: API calls are probed and either the kernel's API counter is to
/// run or the mode is full.</param>
public sealed record CaptureAbilities(bool Syscalls, CaptureMode Mode, bool ApiCalls, bool SwitchEvents, bool WholeSwitches, bool FaultEvents, bool WholeFaults, bool OnCpu,
    bool PhaseSyscalls = false, bool PhaseActivity = false, bool ApiSyscalls = false)
{
    /// <summary>What <paramref name="trace"/> measured.</summary>
    public static CaptureAbilities Of(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return new(trace.SyscallsMeasured, trace.Mode, trace.ApiCallsRecorded, trace.ContextSwitchEventsRecorded, trace.VoluntarySwitches.IsMeasured,
            trace.PageFaultEventsRecorded, trace.MinorFaults.IsMeasured && trace.MajorFaults.IsMeasured, trace.OnCpuRecorded, trace.PhaseSyscallsCounted,
            trace.PhaseActivityCounted, trace.ApiSyscallsUnmeasured is null);
    }

    /// <summary>What a capture of a command with <paramref name="source"/> (not Auto) and these settings will
    /// measure.</summary>
    /// <param name="source">The source that will run.</param>
    /// <param name="mode">How
    /// the perf source will record syscalls (full or hybrid); ignored for the others.</param>
    /// <param name="apiCalls">Whether vendor API
    /// calls will be probed.</param>
    /// <param name="faultEvents">Whether every page fault will be an event.</param>
    /// <param name="phaseCounter">Whether hybrid mode's phase counter is to run: the gpuos markers will be read and
    /// this machine can load the counter (libbpf, the kernel's BTF, the privilege, the object the build embedded). A
    /// plan cannot know the counter will load and place every count: the run's own <see cref="Of"/> says whether it
    /// did. The counter also counts each phase's switches and faults.</param>
    /// <param name="apiCounter">Whether the kernel's API counter is to run: API calls probed without --api-samples, on
    /// a machine that can load it (the same needs, its own object). A plan cannot know it will load: the run's own
    /// <see cref="Of"/> says whether it did.</param>
    public static CaptureAbilities Planned(CaptureSourceKind source, CaptureMode mode, bool apiCalls, bool faultEvents, bool phaseCounter = false, bool apiCounter = false) => source switch
    {
        CaptureSourceKind.Perf => new(true, mode == CaptureMode.Full ? CaptureMode.Full : CaptureMode.Hybrid, apiCalls, true, true, faultEvents, true, true,
            mode != CaptureMode.Full && phaseCounter, mode != CaptureMode.Full && phaseCounter, apiCalls && (mode == CaptureMode.Full || apiCounter)),
        CaptureSourceKind.Strace => new(true, CaptureMode.Strace, false, false, true, false, true, false),
        CaptureSourceKind.Proc => new(false, CaptureMode.Counters, false, false, true, false, true, false),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Plan with the source that will run, not Auto."),
    };

    /// <summary>
    /// Why this capture cannot measure <paramref name="kind"/> completely in a scope (the whole capture when
    /// <paramref name="whole"/>, else any phase), or null when it can.
    /// </summary>
    public string? Unmeasured(bool whole, BaselineKind kind) => kind switch
    {
        BaselineKind.Syscall or BaselineKind.Role or BaselineKind.Ioctl when !Syscalls => "no syscall source was permitted (the /proc counters see none)",
        BaselineKind.Syscall or BaselineKind.Role when !whole && Mode == CaptureMode.Hybrid && !PhaseSyscalls =>
            "hybrid mode counts most syscalls per phase only through its phase counter, and this capture's does not run or did not place every count (it needs the gpuos markers read and what gpuosspec sources lists; a trace's notes say why it did not run); else use --mode full",
        BaselineKind.ApiCalls or BaselineKind.ApiSyscalls when !ApiCalls => "API calls were not probed (use --api, with the perf source)",
        BaselineKind.ApiSyscalls when !ApiSyscalls =>
            "the syscalls inside API calls are complete only when the kernel counts the calls (--api without --api-samples, where gpuosspec sources says eBPF loads; a trace's notes say why its counter did not run) or every syscall is an event (--mode full)",
        BaselineKind.VoluntarySwitches when !SwitchEvents && !(whole ? WholeSwitches : PhaseActivity) => "context switches were not recorded one by one (trace with perf)",
        BaselineKind.PageFaults when !FaultEvents && !(whole ? WholeFaults : PhaseActivity) =>
            "page faults were not recorded one by one, nor counted per phase by hybrid mode's phase counter (trace with perf, without --no-fault-events, or in hybrid mode with the gpuos markers read where the counter can load)",
        BaselineKind.CpuTime when !OnCpu => "on-CPU time needs the perf source's switch records",
        BaselineKind.WallTime when whole => "the whole capture's wall time includes the tracer's own start-up; phases hold wall time",
        _ => null,
    };
}
