using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_map_lookup_elem (the low-level API, by fd): 0, or a negative errno (ENOENT when the key is
    /// absent). A per-CPU map's value holds one 8-byte-aligned slot per possible CPU.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    internal static unsafe partial int MapLookupElem(int fd, void* key, void* value);
}
