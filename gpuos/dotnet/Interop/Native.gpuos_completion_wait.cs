using System.Runtime.InteropServices;

namespace GpuOs.Interop;

internal static partial class Native
{
    [LibraryImport(Library)]
    internal static partial int gpuos_completion_wait(nint completion, int policy, long timeoutNs, out WaitInfo info);
}
