using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class Libc
{
    /// <summary>close(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
