using System.Runtime.InteropServices;

namespace GpuOsSpec.Interop;

internal static partial class Libc
{
    /// <summary>clock_gettime(2). For CLOCK_THREAD_CPUTIME_ID this is a real syscall: call it outside phases.</summary>
    [LibraryImport(LibraryName, EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int ClockGettime(int clock, out Timespec time);

    internal static long ThreadCpuNanoseconds()
    {
        ClockGettime(CLOCK_THREAD_CPUTIME_ID, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
