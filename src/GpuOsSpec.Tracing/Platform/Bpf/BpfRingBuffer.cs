using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Bpf;

/// <summary>
/// A reader of a BPF_MAP_TYPE_RINGBUF map through libbpf's ring_buffer: each record goes to the handler on
/// the thread that polls or consumes. A ring buffer rather than a perf buffer: one buffer shared by every CPU, records
/// in the order they were committed, and the kernel program learns at reserve time that it is full (so it can count the
/// loss itself).
/// </summary>
internal sealed unsafe class BpfRingBuffer : IDisposable
{
    private readonly Action<ReadOnlySpan<byte>> _handler;
    private GCHandle _self;
    private nint _reader;

    /// <param name="map">The ring buffer map of a loaded object.</param>
    /// <param name="handler">Receives each record's bytes.</param>
    /// <exception cref="BpfException">When libbpf cannot map the buffer.</exception>
    internal BpfRingBuffer(BpfMap map, Action<byte[]> handler)
        : this(map, (ReadOnlySpan<byte> record) => handler(record.ToArray()))
    {
    }

    /// <param name="map">The ring buffer map of a loaded object.</param>
    /// <param name="handler">Receives each record in place, valid only during the call: nothing is allocated per
    /// record, where a storm of records would otherwise feed the garbage collector (whose pauses stop the traced
    /// threads of an in-process capture).</param>
    /// <exception cref="BpfException">When libbpf cannot map the buffer.</exception>
    internal BpfRingBuffer(BpfMap map, Action<ReadOnlySpan<byte>> handler)
    {
        _handler = handler;
        _self = GCHandle.Alloc(this);
        _reader = Interop.Libbpf.RingBufferNew(map.Fd, &OnRecord, GCHandle.ToIntPtr(_self), 0);
        if (_reader == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _self.Free();
            throw new BpfException($"Reading the eBPF ring buffer {map.Name} failed ({ErrnoNames.Name(errno)}).", errno);
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for records and handles those there.</summary>
    internal void Poll(int timeoutMs) => Interop.Libbpf.RingBufferPoll(Reader, timeoutMs);

    /// <summary>Handles every record there now.</summary>
    internal void Consume() => Interop.Libbpf.RingBufferConsume(Reader);

    /// <summary>An fd that polls readable when a commit woke the reader, to wait on beside other fds.</summary>
    internal int EpollFd => Interop.Libbpf.RingBufferEpollFd(Reader);

    private nint Reader => _reader != 0 ? _reader : throw new ObjectDisposedException(nameof(BpfRingBuffer));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnRecord(nint context, void* data, nuint size)
    {
        var self = (BpfRingBuffer)GCHandle.FromIntPtr(context).Target!;
        self._handler(new ReadOnlySpan<byte>(data, (int)size));
        return 0;
    }

    /// <summary>Frees the reader (the map stays with its object).</summary>
    public void Dispose()
    {
        if (_reader != 0)
        {
            Interop.Libbpf.RingBufferFree(_reader);
            _reader = 0;
            _self.Free();
        }
    }
}
