using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_program__attach_iter: an iterator link for an iter/ program (options null: every task). The link,
    /// or null with errno set.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach_iter", SetLastError = true)]
    internal static partial nint ProgramAttachIter(nint program, nint options);
}
