using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_link__fd: the link's fd (owned by the link).</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_link__fd")]
    internal static partial int LinkFd(nint link);
}
