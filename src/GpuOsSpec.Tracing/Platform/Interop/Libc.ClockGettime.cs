using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    internal const int CLOCK_REALTIME = 0;
    internal const int CLOCK_MONOTONIC = 1;
    internal const int CLOCK_THREAD_CPUTIME_ID = 3;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>clock_gettime(3); the vDSO serves the monotonic and real-time clocks without a syscall, not thread CPU
    /// time.</summary>
    [LibraryImport(LibraryName, EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int ClockGettime(int clock, out Timespec time);

    internal static long MonotonicNanoseconds()
    {
        ClockGettime(CLOCK_MONOTONIC, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }

    internal static long ThreadCpuNanoseconds()
    {
        ClockGettime(CLOCK_THREAD_CPUTIME_ID, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }

    internal static long RealtimeNanoseconds()
    {
        ClockGettime(CLOCK_REALTIME, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
