namespace GpuOsSpec.Tracing.Model;

/// <summary>Who opened a phase.</summary>
public enum PhaseOrigin
{
    /// <summary>The code that drove the capture (TraceSession.Phase, a spec, a catalogue workload).</summary>
    Tracer,

    /// <summary>gpuos markers in the traced program, read through a uprobe.</summary>
    GpuOsMarkers,
}
