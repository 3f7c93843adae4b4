using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_program__attach: attaches a program where its section name says (tp_btf/NAME: the BTF tracepoint).
    /// The link, or null with errno set.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach", SetLastError = true)]
    internal static partial nint ProgramAttach(nint program);
}
