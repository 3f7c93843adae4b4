using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>ring_buffer__consume: hands every record there now to the callback without waiting; the number of
    /// records, or a negative errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "ring_buffer__consume")]
    internal static partial int RingBufferConsume(nint ringBuffer);
}
