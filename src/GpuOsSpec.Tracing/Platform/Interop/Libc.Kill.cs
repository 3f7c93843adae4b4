using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    internal const int SIGINT = 2;
    internal const int SIGKILL = 9;
    internal const int SIGTERM = 15;
    internal const int SIGCONT = 18;

    [LibraryImport(LibraryName, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
