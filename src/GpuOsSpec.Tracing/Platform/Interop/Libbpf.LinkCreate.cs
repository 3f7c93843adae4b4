using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>enum bpf_attach_type's BPF_PERF_EVENT: a program on a perf event, through a BPF link.</summary>
    internal const int AttachPerfEvent = 41;

    /// <summary>struct bpf_link_create_opts as libbpf 1.1 lays it out (64 bytes; sz first, so a later libbpf reads no
    /// field past it), with only the perf_event member of its union.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LinkCreateOpts
    {
        internal nuint Size;
        internal uint Flags;
        internal nint IterInfo;
        internal uint IterInfoLength;
        internal uint TargetBtfId;
        internal ulong PerfEventCookie;
        private ulong _union1;
        private ulong _union2;
        private ulong _union3;
    }

    /// <summary>bpf_link_create: a BPF link of the program to the target (for BPF_PERF_EVENT, a perf event's fd, which
    /// stays the caller's: closing the link's fd detaches the program). The link's fd, or a negative errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_link_create", SetLastError = true)]
    internal static unsafe partial int LinkCreate(int programFd, int targetFd, int attachType, LinkCreateOpts* options);
}
