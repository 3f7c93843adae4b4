namespace GpuOsSpec.Tracing.Model;

/// <summary>Who a thread belongs to. Assertions default to <see cref="Workload"/> and
/// <see cref="GpuRuntime"/>.</summary>
[Flags]
public enum ThreadOrigin
{
    /// <summary>No origin could be told.</summary>
    None = 0,
    /// <summary>Ran phase code, or is the traced command's own thread.</summary>
    Workload = 1,
    /// <summary>Created by a vendor runtime (named like cuda*, pocl*, hip*, or created inside a vendor call).</summary>
    GpuRuntime = 2,
    /// <summary>A .NET runtime thread (named ".NET …").</summary>
    DotNetRuntime = 4,
    /// <summary>The tracer's own thread.</summary>
    Tracer = 8,
    /// <summary>
    /// A GPU runtime thread that the caller says belongs to another user of this process
    /// (<see cref="GpuOsSpec.Tracing.Sources.CaptureOptions.ForeignRuntimeTids"/>), a thread one of those created, or,
    /// in process, a GPU runtime thread that a thread outside the default view started during the capture: never in the
    /// default view. The xUnit plugin marks so the contexts of other test classes, which run in parallel in one
    /// process.
    /// </summary>
    Foreign = 16,

    /// <summary>Workload and GPU runtime threads: what assertions look at unless told otherwise.</summary>
    Default = Workload | GpuRuntime,
    /// <summary>Every thread.</summary>
    All = Workload | GpuRuntime | DotNetRuntime | Tracer | Foreign,
}
