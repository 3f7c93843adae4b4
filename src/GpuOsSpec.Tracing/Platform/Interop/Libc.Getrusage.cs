using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    internal const int RUSAGE_SELF = 0;
    internal const int RUSAGE_CHILDREN = -1;
    internal const int RUSAGE_THREAD = 1;

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, IxRss, IdRss, IsRss, MinorFaults, MajorFaults, Swaps, InBlock, OutBlock,
            MsgSnd, MsgRcv, Signals, VoluntarySwitches, InvoluntarySwitches;
    }

    [LibraryImport(LibraryName, EntryPoint = "getrusage", SetLastError = true)]
    internal static partial int Getrusage(int who, out RUsage usage);
}
