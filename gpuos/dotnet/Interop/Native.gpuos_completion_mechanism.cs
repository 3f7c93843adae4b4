using System.Runtime.InteropServices;

namespace GpuOs.Interop;

internal static partial class Native
{
    [LibraryImport(Library)]
    internal static partial nint gpuos_completion_mechanism(nint completion);
}
