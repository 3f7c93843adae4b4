using System.Runtime.InteropServices;

namespace GpuOs.Interop;

internal static partial class Native
{
    [LibraryImport(Library)]
    internal static partial long gpuos_set_wake_margin(long ns);
}
