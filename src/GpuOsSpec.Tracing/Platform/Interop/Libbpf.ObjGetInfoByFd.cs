using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_obj_get_info_by_fd: fills <paramref name="info"/> (for a program, a struct bpf_prog_info) with up
    /// to <paramref name="infoLength"/> bytes and sets it to the length the kernel wrote; 0, or a negative errno.
    /// libbpf 1.1 has no bpf_prog_get_info_by_fd (1.2 added it), so the generic call is the one bound.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_obj_get_info_by_fd", SetLastError = true)]
    internal static unsafe partial int ObjGetInfoByFd(int fd, void* info, uint* infoLength);
}
