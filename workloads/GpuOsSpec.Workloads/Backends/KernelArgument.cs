namespace GpuOsSpec.Workloads.Backends;

/// <summary>One kernel argument: a buffer or a scalar.</summary>
public readonly struct KernelArgument
{
    private KernelArgument(IGpuBuffer? buffer, ulong bits, int size, bool isFloat)
    {
        Buffer = buffer;
        Bits = bits;
        Size = size;
        IsFloat = isFloat;
    }

    /// <summary>The buffer, for a buffer argument.</summary>
    public IGpuBuffer? Buffer { get; }

    /// <summary>The scalar's bits.</summary>
    public ulong Bits { get; }

    /// <summary>The scalar's size in bytes (4 or 8); 0 for a buffer.</summary>
    public int Size { get; }

    /// <summary>True for a float scalar.</summary>
    public bool IsFloat { get; }

    /// <summary>A buffer argument.</summary>
    public static KernelArgument Of(IGpuBuffer buffer) => new(buffer, 0, 0, false);

    /// <summary>A 32-bit unsigned scalar.</summary>
    public static KernelArgument Of(uint value) => new(null, value, 4, false);

    /// <summary>A 64-bit unsigned scalar.</summary>
    public static KernelArgument Of(ulong value) => new(null, value, 8, false);

    /// <summary>A float scalar.</summary>
    public static KernelArgument Of(float value) => new(null, BitConverter.SingleToUInt32Bits(value), 4, true);
}
