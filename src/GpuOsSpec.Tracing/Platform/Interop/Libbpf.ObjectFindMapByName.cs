using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_object__find_map_by_name: the map named by its C variable, or null.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__find_map_by_name", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ObjectFindMapByName(nint obj, string name);
}
