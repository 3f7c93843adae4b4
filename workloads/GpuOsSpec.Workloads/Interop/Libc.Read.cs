using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class Libc
{
    /// <summary>read(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(int fd, void* buffer, nuint count);
}
