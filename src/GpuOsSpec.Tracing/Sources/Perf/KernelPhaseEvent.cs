namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>One record of phases.bpf.c's ring buffer (phases.h's struct gos_event), as much of it as set resolution
/// needs.</summary>
/// <param name="Kind">1 marker, 2 fork, 3 exec (gos_event_kind).</param>
/// <param name="Pid">The process.</param>
/// <param name="Tid">The thread.</param>
/// <param name="Sequence">A marker's sequence number.</param>
/// <param name="Instance">The phase run a matched begin opened or a matched end closed (0: none).</param>
/// <param name="MarkerKind">A marker's gpuos_marker_kind (1 begin, 2 end, 3 instant, 4 abandoned).</param>
/// <param name="SetBefore">The open set before the event.</param>
/// <param name="SetAfter">The open set after it.</param>
internal readonly record struct KernelPhaseEvent(int Kind, int Pid, int Tid, ulong Sequence, ulong Instance, int MarkerKind, ulong SetBefore, ulong SetAfter)
{
    /// <summary>sizeof(struct gos_event).</summary>
    internal const int Size = 152;

    internal const int Marker = 1, Exec = 3;

    /// <summary>Reads a record; null when it is shorter than the layout.</summary>
    internal static KernelPhaseEvent? Read(ReadOnlySpan<byte> r)
    {
        if (r.Length < Size)
        {
            return null;
        }
        static ulong U64(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
        static int U32(ReadOnlySpan<byte> b, int at) => (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
        return new KernelPhaseEvent(U32(r, 56), U32(r, 60), U32(r, 64), U64(r, 40), U64(r, 48), U32(r, 72), U64(r, 24), U64(r, 32));
    }
}
