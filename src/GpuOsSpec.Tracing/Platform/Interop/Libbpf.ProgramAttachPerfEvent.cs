using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_program__attach_perf_event: the program on a perf event the caller opened (the link closes the
    /// event). The link, or null with errno set.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach_perf_event", SetLastError = true)]
    internal static partial nint ProgramAttachPerfEvent(nint program, int perfFd);
}
