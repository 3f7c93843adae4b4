using System.Runtime.InteropServices;

namespace GpuOs.Interop;

internal static partial class Native
{
    [LibraryImport(Library)]
    internal static partial uint gpuos_set_hints(uint flags);
}
