using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>One mmap'ed perf ring buffer: a metadata page, then 2^n data pages the kernel writes records
/// into.</summary>
internal sealed unsafe class PerfRingBuffer : IDisposable
{
    private const int DataHeadOffset = 1024;
    private const int DataTailOffset = 1032;
    private readonly nint _base;
    private readonly nuint _length;
    private readonly byte* _data;
    private readonly ulong _dataSize;
    // A write that finds less free room than this may have been dropped: the largest record we open events for is well
    // under it (a raw syscall sample is about 120 bytes).
    private const ulong FullSlack = 512;
    private byte[] _scratch = new byte[256];

    internal PerfRingBuffer(int fd, int dataPages, int cpu)
    {
        Fd = fd;
        Cpu = cpu;
        int pageSize = Environment.SystemPageSize;
        _length = (nuint)((dataPages + 1) * pageSize);
        _base = Libc.Mmap(0, _length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
        if (_base == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new TracerException(
                $"mmap of a {dataPages}-page perf ring buffer failed ({ErrnoNames.Name(errno)}). " +
                "Lower the buffer size (--buffer-pages) or raise kernel.perf_event_mlock_kb / RLIMIT_MEMLOCK.");
        }
        _data = (byte*)_base + pageSize;
        _dataSize = (ulong)(dataPages * pageSize);
    }

    internal int Fd { get; }

    internal int Cpu { get; }

    /// <summary>
    /// True when a read found the buffer full and no lost record has followed since. The kernel reports a loss only
    /// with its next successful write, so at the end of a capture this is the only sign of a loss it never reported.
    /// </summary>
    internal bool FullWithoutLostRecord { get; private set; }

    /// <summary>Hands every complete record now in the buffer to <paramref name="sink"/>, then frees the
    /// space.</summary>
    internal long Drain(PerfRecordSink sink)
    {
        ulong head = Volatile.Read(ref *(ulong*)((byte*)_base + DataHeadOffset));
        ulong tail = *(ulong*)((byte*)_base + DataTailOffset);
        long records = 0;
        bool fullNow = head - tail + FullSlack > _dataSize;
        Span<byte> h = stackalloc byte[8];
        while (tail < head)
        {
            ulong offset = tail % _dataSize;
            // struct perf_event_header { u32 type; u16 misc; u16 size; }
            ushort size;
            uint type;
            if (offset + 8 <= _dataSize)
            {
                type = *(uint*)(_data + offset);
                size = *(ushort*)(_data + offset + 6);
            }
            else
            {
                Copy(offset, h);
                type = MemoryMarshal.Read<uint>(h);
                size = MemoryMarshal.Read<ushort>(h[6..]);
            }
            if (size < 8)
            {
                break;
            }
            ReadOnlySpan<byte> record;
            if (offset + size <= _dataSize)
            {
                record = new ReadOnlySpan<byte>(_data + offset, size);
            }
            else
            {
                if (_scratch.Length < size)
                {
                    _scratch = new byte[size];
                }
                Copy(offset, _scratch.AsSpan(0, size));
                record = _scratch.AsSpan(0, size);
            }
            if (type == PerfConstants.RecordLost)
            {
                FullWithoutLostRecord = false;
            }
            sink.OnRecord(type, record, Cpu);
            tail += size;
            records++;
        }
        Volatile.Write(ref *(ulong*)((byte*)_base + DataTailOffset), tail);
        FullWithoutLostRecord |= fullNow;
        return records;
    }

    private void Copy(ulong offset, Span<byte> destination)
    {
        int first = (int)Math.Min((ulong)destination.Length, _dataSize - offset);
        new ReadOnlySpan<byte>(_data + offset, first).CopyTo(destination);
        new ReadOnlySpan<byte>(_data, destination.Length - first).CopyTo(destination[first..]);
    }

    public void Dispose() => Libc.Munmap(_base, _length);
}
