using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class Libc
{
    /// <summary>usleep(3): one clock_nanosleep, microsecond resolution (Thread.Sleep rounds to milliseconds).</summary>
    [LibraryImport(LibraryName, EntryPoint = "usleep")]
    internal static partial int Usleep(uint microseconds);
}
