using System.Runtime.InteropServices;

namespace GpuOs.Interop;

internal static partial class Native
{
    [LibraryImport(Library)]
    internal static partial void gpuos_completion_counts(nint completion, out ulong armed, out ulong signalled, out ulong extra);
}
