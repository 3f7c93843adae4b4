using System.Buffers.Binary;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>One gpuos marker as a probe hit delivered it (struct gpuos_marker in gpuos.h).</summary>
internal readonly record struct MarkerRecord(int Pid, int Tid, long TimeNs, MarkerKind Kind, PhaseClass Class, int Depth, ulong Sequence, string Name)
{
    private const uint Magic = 0x534F5047;

    /// <summary>Reads a marker probe's raw tracepoint record (fields as <paramref name="format"/> lays them out); null
    /// when it is not a marker.</summary>
    internal static MarkerRecord? Read(int pid, int tid, long time, ReadOnlySpan<byte> raw, TracepointFormat format)
    {
        int magicAt = format.Offset("magic"), kindAt = format.Offset("kind"), clsAt = format.Offset("cls"),
            depthAt = format.Offset("depth"), seqAt = format.Offset("seq"), nameAt = format.Offset("name");
        if (raw.Length < nameAt + 4 || BinaryPrimitives.ReadUInt32LittleEndian(raw[magicAt..]) != Magic)
        {
            return null;
        }
        ushort kind = BinaryPrimitives.ReadUInt16LittleEndian(raw[kindAt..]);
        uint cls = BinaryPrimitives.ReadUInt32LittleEndian(raw[clsAt..]);
        // __data_loc: the low 16 bits are the string's offset in the record, the high 16 its length with the NUL.
        uint loc = BinaryPrimitives.ReadUInt32LittleEndian(raw[nameAt..]);
        int offset = (int)(loc & 0xFFFF), length = (int)(loc >> 16);
        if (kind is < 1 or > 4 || cls > 3 || offset + length > raw.Length)
        {
            return null;
        }
        var name = raw.Slice(offset, length);
        int end = name.IndexOf((byte)0);
        return new MarkerRecord(pid, tid, time, (MarkerKind)kind, (PhaseClass)cls, (int)BinaryPrimitives.ReadUInt32LittleEndian(raw[depthAt..]),
            BinaryPrimitives.ReadUInt64LittleEndian(raw[seqAt..]), MarkerName.Decode(end < 0 ? name : name[..end]));
    }
}

/// <summary>gpuos_marker_kind.</summary>
internal enum MarkerKind : ushort
{
    Begin = 1,
    End = 2,
    Instant = 3,
    Abandoned = 4,
}
