using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    /// <summary>fcntl(F_DUPFD_CLOEXEC): a new close-on-exec descriptor for the same open file, so that no child spawned
    /// meanwhile inherits it.</summary>
    internal const int F_DUPFD_CLOEXEC = 1030;

    [LibraryImport(LibraryName, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);
}
