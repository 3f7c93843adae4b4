using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Syscalls;

/// <summary>Syscall names and numbers for one architecture (x86_64 or aarch64).</summary>
public sealed class SyscallTable
{
    private readonly string?[] _names;
    private readonly Dictionary<string, int> _numbers;

    private SyscallTable(string architecture, string?[] names)
    {
        Architecture = architecture;
        _names = names;
        _numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] is { } name)
            {
                _numbers.TryAdd(name, i);
            }
        }
    }

    /// <summary>The x86_64 table.</summary>
    public static SyscallTable X64 { get; } = new("x86_64", SyscallTables.X64);

    /// <summary>The aarch64 table.</summary>
    public static SyscallTable Arm64 { get; } = new("aarch64", SyscallTables.Arm64);

    /// <summary>The table of the machine this runs on.</summary>
    public static SyscallTable Current => ForArchitecture(RuntimeInformation.ProcessArchitecture);

    /// <summary>"x86_64" or "aarch64".</summary>
    public string Architecture { get; }

    /// <summary>All (number, name) pairs.</summary>
    public IEnumerable<(int Number, string Name)> Entries =>
        _names.Select((n, i) => (i, n)).Where(e => e.n is not null).Select(e => (e.i, e.n!));

    /// <summary>The table for a .NET architecture.</summary>
    /// <exception cref="PlatformNotSupportedException">For architectures other than x64 and arm64.</exception>
    public static SyscallTable ForArchitecture(Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => X64,
        System.Runtime.InteropServices.Architecture.Arm64 => Arm64,
        _ => throw new PlatformNotSupportedException($"GpuOsSpec decodes syscalls on x86_64 and aarch64, not {architecture}."),
    };

    /// <summary>The name of syscall <paramref name="number"/>, or "syscall_N" when the number is not in the
    /// table.</summary>
    public string Name(long number) =>
        number >= 0 && number < _names.Length && _names[number] is { } name ? name : $"syscall_{number}";

    /// <summary>The number of a syscall name, or null when this architecture has no such syscall.</summary>
    public int? Number(string name) => _numbers.TryGetValue(name, out int n) ? n : null;
}
