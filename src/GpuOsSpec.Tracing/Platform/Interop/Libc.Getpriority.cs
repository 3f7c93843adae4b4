using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    /// <summary>getpriority(2); the capture's positive control calls it with an invalid
    /// <paramref name="which"/>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "getpriority", SetLastError = true)]
    internal static partial int Getpriority(int which, int who);
}
