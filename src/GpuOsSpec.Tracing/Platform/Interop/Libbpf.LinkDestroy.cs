using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_link__destroy: detaches the program and frees the link.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_link__destroy")]
    internal static partial int LinkDestroy(nint link);
}
