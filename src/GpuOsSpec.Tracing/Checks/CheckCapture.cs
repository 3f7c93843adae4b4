namespace GpuOsSpec.Tracing.Checks;

/// <summary>What a capture about to run will record, as the rules' needs (<see cref="CheckNeeds"/>) ask it.</summary>
/// <param name="Records">What it records.</param>
/// <param name="Described">The capture in words ("perf (hybrid)"), for the refusal.</param>
public sealed record CheckCapture(CheckNeeds Records, string Described)
{
    /// <summary>What a capture with <paramref name="source"/> (not Auto) and these settings records.</summary>
    /// <param name="source">The source that will run.</param>
    /// <param name="fullMode">For perf: every syscall an event (full mode) rather than hybrid.</param>
    /// <param name="apiCalls">Vendor API calls will be probed.</param>
    /// <param name="faultEvents">Every page fault will be an event.</param>
    /// <param name="apiCounter">The kernel's API counter is to run: API calls probed without --api-samples, on a
    /// machine that can load it. A plan cannot know it will load: the trace says whether it ran, and a rule that needs
    /// it is not measured where it did not.</param>
    /// <param name="phaseCounter">Hybrid mode's phase counter is to run: the gpuos markers will be read, on a machine
    /// that can load it. It sums each phase run's faults and switches per thread in the kernel, so a rule that needs
    /// only those counts (<see cref="CheckNeeds.FaultCounts"/>) may run without fault events. A plan cannot know it
    /// will load: the trace says whether it counted, and a rule that needs it is not measured where it did not.</param>
    public static CheckCapture Planned(CaptureSourceKind source, bool fullMode, bool apiCalls, bool faultEvents, bool apiCounter = false, bool phaseCounter = false)
    {
        bool counted = !fullMode && phaseCounter;
        return source switch
        {
            CaptureSourceKind.Perf => new(CheckNeeds.Syscalls | (fullMode ? CheckNeeds.EverySyscall : 0) | CheckNeeds.SwitchEvents | CheckNeeds.SwitchCounts
                | (faultEvents ? CheckNeeds.FaultEvents : 0) | (faultEvents || counted ? CheckNeeds.FaultCounts : 0)
                | CheckNeeds.OnCpu | (apiCalls ? CheckNeeds.ApiCalls : 0) | (apiCalls && (fullMode || apiCounter) ? CheckNeeds.ApiCallSyscalls : 0),
                $"perf ({(fullMode ? "full" : "hybrid")}{(apiCalls && !fullMode ? apiCounter ? ", API calls counted in the kernel" : ", API calls sampled" : "")}{(faultEvents ? "" : ", no fault events")})"),
            CaptureSourceKind.Strace => new(CheckNeeds.Syscalls | CheckNeeds.EverySyscall, "strace"),
            CaptureSourceKind.Proc => new(CheckNeeds.None, "proc"),
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Plan with the source that will run, not Auto."),
        };
    }

    /// <summary>
    /// Why this capture cannot give <paramref name="rule"/> what it needs, with the fix; null when it can. A rule that
    /// needs API calls the capture does not probe is not applicable rather than refused, so its other needs are then
    /// not held.
    /// </summary>
    public string? Lacks(ICheckRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var needs = rule.Needs;
        if (needs.HasFlag(CheckNeeds.ApiCalls) && !Records.HasFlag(CheckNeeds.ApiCalls))
        {
            return null;
        }
        var missing = needs & ~Records & ~CheckNeeds.ApiCalls;
        if (missing == CheckNeeds.None)
        {
            return null;
        }
        var why = new List<string>();
        if (missing.HasFlag(CheckNeeds.Syscalls))
        {
            why.Add("syscalls (use --source perf or strace)");
        }
        if (missing.HasFlag(CheckNeeds.EverySyscall))
        {
            why.Add("every syscall as an event (use --mode full)");
        }
        if (missing.HasFlag(CheckNeeds.SwitchEvents))
        {
            why.Add("every context switch as an event (use --source perf)");
        }
        if (missing.HasFlag(CheckNeeds.FaultEvents))
        {
            why.Add("every page fault as an event (use --source perf, without --no-fault-events; in hybrid mode with the gpuos markers read, with --fault-events)");
        }
        if (missing.HasFlag(CheckNeeds.FaultCounts) && !missing.HasFlag(CheckNeeds.FaultEvents))
        {
            why.Add("page faults counted per phase run (use --source perf without --no-fault-events, or --mode hybrid with the gpuos markers read where gpuosspec sources says its phase counter loads)");
        }
        if (missing.HasFlag(CheckNeeds.SwitchCounts) && !missing.HasFlag(CheckNeeds.SwitchEvents))
        {
            why.Add("context switches counted per phase run (use --source perf)");
        }
        if (missing.HasFlag(CheckNeeds.OnCpu))
        {
            why.Add("when each thread ran on a CPU (use --source perf)");
        }
        if (missing.HasFlag(CheckNeeds.ApiCallSyscalls))
        {
            why.Add("every syscall inside each API call (count the calls in the kernel: drop --api-samples, where gpuosspec sources says eBPF loads; or use --mode full)");
        }
        return $"rule {rule.Id} needs {string.Join(", ", why)}, which a {Described} capture does not record";
    }
}
