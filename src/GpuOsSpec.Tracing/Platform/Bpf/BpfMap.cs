using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Bpf;

/// <summary>A map of a loaded <see cref="BpfObject"/>, by the name of its C variable.</summary>
internal readonly record struct BpfMap(string Name, int Fd, uint MaxEntries)
{
    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/> (created or replaced).</summary>
    /// <exception cref="BpfException">When the kernel refuses (a key out of an array's range, a full hash).</exception>
    internal unsafe void Update<TKey, TValue>(TKey key, TValue value)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        int result = Interop.Libbpf.MapUpdateElem(Fd, &key, &value, Interop.Libbpf.UpdateAny);
        if (result != 0)
        {
            int errno = -result;
            throw new BpfException($"Writing the eBPF map {Name} failed ({ErrnoNames.Name(errno)}).", errno);
        }
    }

    /// <summary>A per-CPU array's 64-bit counter at <paramref name="index"/>, summed over the possible CPUs; null when
    /// it cannot be read, which a caller must count as unknown, never as 0.</summary>
    internal long? SumPerCpu(uint index, int possibleCpus)
    {
        var perCpu = new byte[8 * possibleCpus];
        if (!Lookup(index, perCpu))
        {
            return null;
        }
        long sum = 0;
        for (int c = 0; c < possibleCpus; c++)
        {
            sum += System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(perCpu.AsSpan(8 * c));
        }
        return sum;
    }

    /// <summary>Several per-CPU counters (<see cref="SumPerCpu(uint, int)"/>): the sums of those read, and the indexes
    /// that could not be read.</summary>
    internal (Dictionary<int, long> Sums, List<int> Unread) SumPerCpu(IEnumerable<int> indexes, int possibleCpus)
    {
        var sums = new Dictionary<int, long>();
        var unread = new List<int>();
        foreach (int index in indexes)
        {
            if (SumPerCpu((uint)index, possibleCpus) is { } sum)
            {
                sums[index] = sum;
            }
            else
            {
                unread.Add(index);
            }
        }
        return (sums, unread);
    }

    /// <summary>Every key of a hash map, read one after the other (a map changing meanwhile may skip or repeat
    /// keys: read it once nothing writes to it).</summary>
    internal unsafe List<TKey> Keys<TKey>()
        where TKey : unmanaged
    {
        var keys = new List<TKey>();
        TKey key = default, next = default;
        bool first = true;
        while (Interop.Libbpf.MapGetNextKey(Fd, first ? null : &key, &next) == 0)
        {
            keys.Add(next);
            key = next;
            first = false;
        }
        return keys;
    }

    /// <summary>Reads the value at <paramref name="key"/> into <paramref name="value"/>, which must hold the whole
    /// value (for a per-CPU map, 8-byte-aligned slots for every possible CPU: <see cref="CpuList.PossibleCount"/>);
    /// false when the key is absent.</summary>
    internal unsafe bool Lookup<TKey>(TKey key, Span<byte> value)
        where TKey : unmanaged
    {
        fixed (byte* v = value)
        {
            return Interop.Libbpf.MapLookupElem(Fd, &key, v) == 0;
        }
    }
}
