using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_map__fd: the map's file descriptor once loaded, else a negative errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_map__fd")]
    internal static partial int MapFd(nint map);
}
