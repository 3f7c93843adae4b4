using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>ring_buffer__poll: waits up to <paramref name="timeoutMs"/> for records and hands each to the callback;
    /// the number of records, or a negative errno (-EINTR when a signal came).</summary>
    [LibraryImport(LibraryName, EntryPoint = "ring_buffer__poll")]
    internal static partial int RingBufferPoll(nint ringBuffer, int timeoutMs);
}
