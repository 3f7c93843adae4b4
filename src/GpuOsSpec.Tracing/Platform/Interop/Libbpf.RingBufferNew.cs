using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>ring_buffer__new: a reader of the BPF_MAP_TYPE_RINGBUF map <paramref name="mapFd"/> that calls
    /// <paramref name="sample"/>(ctx, data, size) for each record, on the thread that polls or consumes; the callback
    /// returns 0 to go on. The reader, or null with errno set.</summary>
    [LibraryImport(LibraryName, EntryPoint = "ring_buffer__new", SetLastError = true)]
    internal static unsafe partial nint RingBufferNew(int mapFd, delegate* unmanaged[Cdecl]<nint, void*, nuint, int> sample, nint context, nint options);
}
