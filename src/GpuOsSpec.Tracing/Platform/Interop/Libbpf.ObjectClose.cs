using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_object__close: unloads the programs and closes the maps (links are destroyed first).</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__close")]
    internal static partial void ObjectClose(nint obj);
}
