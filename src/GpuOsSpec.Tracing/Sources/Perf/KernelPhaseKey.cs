using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>phases.h's struct gos_phase_key, as the map holds it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KernelPhaseKey
{
    internal ulong Path;
    internal ulong Set;
    internal uint Tid;
    internal uint Zero;
}
