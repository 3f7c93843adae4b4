using System.Runtime.InteropServices;

namespace GpuOs.Interop;

internal static partial class Native
{
    [LibraryImport(Library)]
    internal static partial int gpuos_phase_depth();
}
