using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_map__reuse_fd: before load, makes the map the existing map behind <paramref name="fd"/> (libbpf
    /// keeps a duplicate of the fd) instead of creating one; 0 or a negative errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_map__reuse_fd")]
    internal static partial int MapReuseFd(nint map, int fd);
}
