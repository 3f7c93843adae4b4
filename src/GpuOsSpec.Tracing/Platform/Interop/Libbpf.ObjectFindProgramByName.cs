using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_object__find_program_by_name: the program named by its C function, or null.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__find_program_by_name", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ObjectFindProgramByName(nint obj, string name);
}
