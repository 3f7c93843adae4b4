namespace GpuOsSpec.Tracing.Checks;

/// <summary>
/// What a rule needs the capture to record. `gpuosspec check` holds every enabled rule's needs to the capture it is
/// about to run and refuses before the command runs when one is missing, as `baseline compare` does.
/// </summary>
[Flags]
public enum CheckNeeds
{
    /// <summary>Nothing beyond the trace itself.</summary>
    None = 0,

    /// <summary>Syscalls (any source but the /proc counters).</summary>
    Syscalls = 1,

    /// <summary>Every syscall as an event, so phases and API calls hold all of theirs (perf in full mode, or
    /// strace).</summary>
    EverySyscall = 2,

    /// <summary>Every context switch as an event (perf).</summary>
    SwitchEvents = 4,

    /// <summary>Every page fault as an event (perf, without --no-fault-events).</summary>
    FaultEvents = 8,

    /// <summary>When each thread ran on a CPU (perf).</summary>
    OnCpu = 16,

    /// <summary>
    /// Vendor API calls (--api). A rule with this need is not applicable, rather than refused, where the capture probes
    /// no library: its other needs are held only when it does.
    /// </summary>
    ApiCalls = 32,

    /// <summary>Every syscall inside each API call: the calls counted in the kernel (--api without --api-samples,
    /// where eBPF loads), or every syscall an event (perf in full mode). Held only where the capture probes API
    /// calls.</summary>
    ApiCallSyscalls = 64,

    /// <summary>
    /// Page faults counted per phase run and per thread, events or not: every fault an event (perf, without
    /// --no-fault-events), or summed in the kernel by hybrid mode's phase counter (the gpuos markers read, where the
    /// counter loads). For a rule that judges how many faults a phase took, not when or where. A plan cannot know the
    /// counter will run: a trace whose counter did not count leaves the figure not measured, and one whose counter
    /// lost counts is inconclusive.
    /// </summary>
    FaultCounts = 128,

    /// <summary>Context switches counted per phase run and per thread, events or not: every switch an event (perf),
    /// or summed in the kernel by hybrid mode's phase counter, as <see cref="FaultCounts"/>.</summary>
    SwitchCounts = 256,
}
