using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>phases.h's struct gos_sys_key, as the map holds it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KernelSyscallKey
{
    internal ulong Path;
    internal ulong Set;
    internal uint Tid;
    internal uint Number;
}
