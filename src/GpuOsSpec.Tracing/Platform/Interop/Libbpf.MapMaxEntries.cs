using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_map__max_entries: the map's size (after load, what the kernel created).</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_map__max_entries")]
    internal static partial uint MapMaxEntries(nint map);
}
