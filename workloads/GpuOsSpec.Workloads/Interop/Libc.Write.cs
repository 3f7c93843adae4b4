using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class Libc
{
    /// <summary>write(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(int fd, void* buffer, nuint count);
}
