using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_map_get_next_key (by fd): the key after <paramref name="key"/> (null: the first) into
    /// <paramref name="nextKey"/>; 0, or a negative errno (ENOENT past the last).</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_map_get_next_key", SetLastError = true)]
    internal static unsafe partial int MapGetNextKey(int fd, void* key, void* nextKey);
}
