using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_map__set_max_entries: resizes a map before load; 0 or a negative errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_map__set_max_entries")]
    internal static partial int MapSetMaxEntries(nint map, uint maxEntries);
}
