namespace GpuOsSpec.Tracing.Model;

/// <summary>An ioctl request split into its _IOC fields (asm-generic/ioctl.h, used by x86_64 and aarch64).</summary>
/// <param name="Raw">The request as passed to ioctl(2).</param>
public readonly record struct IoctlCode(ulong Raw)
{
    /// <summary>Direction bits: 0 none, 1 write, 2 read, 3 read/write.</summary>
    public int Direction => (int)((Raw >> 30) & 0x3);

    /// <summary>The magic (type) byte.</summary>
    public int Type => (int)((Raw >> 8) & 0xFF);

    /// <summary>The command number.</summary>
    public int Number => (int)(Raw & 0xFF);

    /// <summary>The argument size in bytes.</summary>
    public int Size => (int)((Raw >> 16) & 0x3FFF);

    /// <summary>"_IOC(RW, 'F', 0x2a, 32)"-style rendering of the raw fields.</summary>
    public string Describe()
    {
        string dir = Direction switch { 0 => "NONE", 1 => "W", 2 => "R", _ => "RW" };
        string type = Type is >= 0x20 and < 0x7F ? $"'{(char)Type}'" : $"0x{Type:x2}";
        return $"_IOC({dir}, {type}, 0x{Number:x2}, {Size})";
    }
}
