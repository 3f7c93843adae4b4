using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    internal const int WNOHANG = 1;

    [LibraryImport(LibraryName, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int Waitpid(int pid, out int status, int options);
}
