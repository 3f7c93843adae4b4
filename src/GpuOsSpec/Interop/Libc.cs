using System.Runtime.InteropServices;

namespace GpuOsSpec.Interop;

/// <summary>The C library calls the plugin makes itself.</summary>
internal static partial class Libc
{
    internal const string LibraryName = "libc";
    internal const int CLOCK_THREAD_CPUTIME_ID = 3;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
