namespace GpuOsSpec.Scaling;

/// <summary>
/// An operation measured at several sizes with repetitions. Every metric is fitted as fixed + marginal x size on the
/// median of the repetitions, so "syscalls per launch" is the slope, not total / n.
/// </summary>
public sealed class ScalingResult
{
    private readonly Func<string, Func<TraceView, double?>, ScalingFit> _fit;

    internal ScalingResult(string operation, Trace trace, IReadOnlyList<long> sizes, int repetitions, Func<string, Func<TraceView, double?>, ScalingFit> fit, ScalingFit cpu)
    {
        Operation = operation;
        Trace = trace;
        Sizes = sizes;
        Repetitions = repetitions;
        _fit = fit;
        CpuTimeNs = cpu;
    }

    /// <summary>The operation ("launch").</summary>
    public string Operation { get; }

    /// <summary>The trace of every size and repetition (phases "n100/r0", ...).</summary>
    public Trace Trace { get; }

    /// <summary>The sizes measured.</summary>
    public IReadOnlyList<long> Sizes { get; }

    /// <summary>Repetitions per size.</summary>
    public int Repetitions { get; }

    /// <summary>All syscalls.</summary>
    public ScalingFit Syscalls => _fit("syscalls", v => v.SyscallCount().Value);

    /// <summary>Syscalls of one role.</summary>
    public ScalingFit Role(SyscallRole role) => _fit($"{GpuOsSpec.Tracing.Model.RoleNames.Of(role)} syscalls", v => v.CountByRole()[role].Value);

    /// <summary>Calls of one syscall.</summary>
    public ScalingFit Syscall(string name) => _fit($"{name} calls", v => v.Calls(name).Value);

    /// <summary>Calls of one decoded ioctl (NV_ESC_RM_ALLOC, UVM_MIGRATE, ...).</summary>
    public ScalingFit Ioctl(string name) => _fit($"{name} ioctls", v => v.IoctlCalls(name).Value);

    /// <summary>Voluntary context switches.</summary>
    public ScalingFit VoluntarySwitches => _fit("voluntary switches", v => v.VoluntarySwitches().Value);

    /// <summary>Involuntary context switches.</summary>
    public ScalingFit InvoluntarySwitches => _fit("involuntary switches", v => v.InvoluntarySwitches().Value);

    /// <summary>Page faults, minor and major.</summary>
    public ScalingFit PageFaults => _fit("page faults", v => v.MinorFaults().Value + v.MajorFaults().Value);

    /// <summary>CPU time of the measuring thread, in nanoseconds.</summary>
    public ScalingFit CpuTimeNs { get; }
}
