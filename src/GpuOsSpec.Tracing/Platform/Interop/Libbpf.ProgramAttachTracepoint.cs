using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_program__attach_tracepoint: the link, or null with errno set.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach_tracepoint", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ProgramAttachTracepoint(nint program, string category, string name);
}
