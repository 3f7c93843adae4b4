using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_iter_create: an fd whose reads run the iterator link's program over its objects; negative errno on
    /// failure.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_iter_create", SetLastError = true)]
    internal static partial int IterCreate(int linkFd);
}
