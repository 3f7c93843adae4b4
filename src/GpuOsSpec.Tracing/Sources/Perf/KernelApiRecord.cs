using System.Buffers.Binary;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// One API call as api.bpf.c wrote it (api.h's struct api_call): the probed function, its thread, entry and return
/// time (CLOCK_MONOTONIC, as the perf samples), and what its thread did while it was the innermost open call.
/// </summary>
/// <param name="Function">The function's index among the probed ones (the probe's bpf cookie).</param>
/// <param name="Pid">The calling process.</param>
/// <param name="Tid">The calling thread.</param>
/// <param name="StartNs">CLOCK_MONOTONIC nanoseconds at entry.</param>
/// <param name="EndNs">At return, or -1 when the call had not returned (its thread exited, or the capture
/// ended).</param>
/// <param name="Syscalls">Syscalls the thread entered while this was its innermost open call (the probes' own left
/// out).</param>
/// <param name="Ioctls">Of which ioctls.</param>
/// <param name="VoluntarySwitches">Switches away while blocked.</param>
/// <param name="InvoluntarySwitches">Switches away while still runnable.</param>
/// <param name="PageFaults">Page faults on user addresses.</param>
internal readonly record struct KernelApiRecord(int Function, int Pid, int Tid, long StartNs, long EndNs, int Syscalls, int Ioctls,
    int VoluntarySwitches, int InvoluntarySwitches, int PageFaults)
{
    /// <summary>sizeof(struct api_call).</summary>
    internal const int Size = 48;

    /// <summary>The record in <paramref name="bytes"/>, or null when it is too short to be one.</summary>
    internal static KernelApiRecord? Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size)
        {
            return null;
        }
        long end = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        return new KernelApiRecord(
            BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes),
            end == 0 ? -1 : end,
            BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[32..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[36..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[40..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[44..]));
    }
}
