using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_map_update_elem (the low-level API, by fd): 0 or a negative errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    internal static unsafe partial int MapUpdateElem(int fd, void* key, void* value, ulong flags);
}
