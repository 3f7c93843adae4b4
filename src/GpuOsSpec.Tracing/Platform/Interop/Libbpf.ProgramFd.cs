using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_program__fd: the program's file descriptor once loaded, else a negative errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__fd")]
    internal static partial int ProgramFd(nint prog);
}
