using System.Buffers.Binary;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>One record of phases.bpf.c's ring buffer (phases.h's struct gos_event): what set resolution needs, and for
/// a marker what its perf sample carried, since in hybrid mode this record is the marker's only reading.</summary>
/// <param name="Kind">1 marker, 2 fork, 3 exec, 4 a counted switch or fault in witness mode (gos_event_kind).</param>
/// <param name="Pid">The process.</param>
/// <param name="Tid">The thread.</param>
/// <param name="Sequence">A marker's sequence number.</param>
/// <param name="Instance">The phase run a matched begin opened or a matched end closed (0: none).</param>
/// <param name="MarkerKind">A marker's gpuos_marker_kind (1 begin, 2 end, 3 instant, 4 abandoned); an activity
/// record's gos_activity_kind (1 voluntary switch, 2 involuntary, 3 minor fault, 4 major).</param>
/// <param name="SetBefore">The open set before the event.</param>
/// <param name="SetAfter">The open set after it.</param>
internal readonly record struct KernelPhaseEvent(int Kind, int Pid, int Tid, ulong Sequence, ulong Instance, int MarkerKind, ulong SetBefore, ulong SetAfter)
{
    /// <summary>sizeof(struct gos_event).</summary>
    internal const int Size = 184;

    internal const int Marker = 1, Exec = 3, Activity = 4;

    private const int NameAt = 88, NameLength = 64;

    /// <summary>When it happened (CLOCK_MONOTONIC, as the perf samples).</summary>
    internal long TimeNs { get; init; }

    /// <summary>Witness mode's other clock read around the open set's access (0: not read). A marker's set changed
    /// between it and <see cref="TimeNs"/>; an activity record's set was read between <see cref="TimeNs"/> and it.
    /// </summary>
    internal long BracketNs { get; init; }

    /// <summary>A marker's gpuos_class.</summary>
    internal int Class { get; init; }

    /// <summary>A marker's depth (after a begin, before an end).</summary>
    internal int Depth { get; init; }

    /// <summary>A marker's name, decoded as the perf path decodes it (<see cref="MarkerName"/>); null for a fork or
    /// an exec.</summary>
    internal string? Name { get; init; }

    /// <summary>The open set under which the on-CPU stretch this marker ended began (<see cref="SliceOnCpuNs"/>).
    /// </summary>
    internal ulong SliceSet { get; init; }

    /// <summary>A marker's thread's on-CPU nanoseconds from the start of its stretch (under <see cref="SliceSet"/>)
    /// to the marker, which the kernel hands over in the record instead of adding it to gos_phase; 0 when none was
    /// known.</summary>
    internal long SliceOnCpuNs { get; init; }

    /// <summary>Reads a record; null when it is shorter than the layout, or is a marker the perf path would not have
    /// read (an unknown kind or class).</summary>
    internal static KernelPhaseEvent? Read(ReadOnlySpan<byte> r)
    {
        if (r.Length < Size)
        {
            return null;
        }
        static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
        static int U32(ReadOnlySpan<byte> b, int at) => (int)BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
        int kind = U32(r, 56), markerKind = U32(r, 72), cls = U32(r, 76);
        string? name = null;
        if (kind == Marker)
        {
            if (markerKind is < 1 or > 4 || cls is < 0 or > 3)
            {
                return null;
            }
            var bytes = r.Slice(NameAt, NameLength);
            int end = bytes.IndexOf((byte)0);
            name = MarkerName.Decode(end < 0 ? bytes : bytes[..end]);
        }
        return new KernelPhaseEvent(kind, U32(r, 60), U32(r, 64), U64(r, 40), U64(r, 48), markerKind, U64(r, 24), U64(r, 32))
        {
            TimeNs = (long)U64(r, 0),
            BracketNs = (long)U64(r, 176),
            Class = cls,
            Depth = U32(r, 80),
            Name = name,
            SliceSet = U64(r, 160),
            SliceOnCpuNs = (long)U64(r, 168),
        };
    }

    /// <summary>The marker this record is, as a perf sample of it would have been read; null when it is not a
    /// marker.</summary>
    internal MarkerRecord? ToMarker() => Kind == Marker && Name is { } name
        ? new MarkerRecord(Pid, Tid, TimeNs, (MarkerKind)MarkerKind, (PhaseClass)Class, Depth, Sequence, name)
        : null;
}
