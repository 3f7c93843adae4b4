using System.Text.Json.Serialization;

namespace GpuOsSpec.Tracing.Baselines;

/// <summary>What a figure of an OS-interaction profile counts or times.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BaselineKind>))]
public enum BaselineKind
{
    /// <summary>Calls of one syscall.</summary>
    Syscall,

    /// <summary>Calls of one decoded ioctl on one device.</summary>
    Ioctl,

    /// <summary>Syscalls of one role.</summary>
    Role,

    /// <summary>Calls of one vendor API function.</summary>
    ApiCalls,

    /// <summary>Syscalls made inside one vendor API function.</summary>
    ApiSyscalls,

    /// <summary>Voluntary context switches.</summary>
    VoluntarySwitches,

    /// <summary>Page faults, minor or major (the name says which).</summary>
    PageFaults,

    /// <summary>
    /// Wall-clock nanoseconds of a phase, less the time its own thread waited for a CPU while runnable (another
    /// program's load on the machine is not the program's time; see TraceView.OwnWallNs).
    /// </summary>
    WallTime,

    /// <summary>Nanoseconds on a CPU of the threads of one origin (the name).</summary>
    CpuTime,
}
