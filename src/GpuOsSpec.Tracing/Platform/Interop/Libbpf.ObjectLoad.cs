using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_object__load: creates the maps, applies the CO-RE relocations, loads the programs; 0 or a negative
    /// errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__load", SetLastError = true)]
    internal static partial int ObjectLoad(nint obj);
}
