using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    internal const int PR_SET_PTRACER = 0x59616d61;
    internal const nint PR_SET_PTRACER_ANY = -1;

    [LibraryImport(LibraryName, EntryPoint = "prctl", SetLastError = true)]
    internal static partial int Prctl(int option, nint arg2, nint arg3, nint arg4, nint arg5);
}
