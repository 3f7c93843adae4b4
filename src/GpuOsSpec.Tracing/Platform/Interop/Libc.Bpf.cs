using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    internal const int BPF_MAP_CREATE = 0;
    internal const int BPF_MAP_LOOKUP_ELEM = 1;
    internal const int BPF_MAP_UPDATE_ELEM = 2;
    internal const int BPF_PROG_LOAD = 5;

    /// <summary>bpf(2), which has no libc wrapper, through syscall(2).</summary>
    [LibraryImport(LibraryName, EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SyscallBpf(long number, int command, void* attr, uint size);

    /// <summary>Issues a bpf command with its attribute struct; returns the result or -1 with errno set.</summary>
    internal static unsafe int Bpf<T>(int command, ref T attr)
        where T : unmanaged
    {
        long number = SyscallTable.Current.Number("bpf") ?? throw new PlatformNotSupportedException("This architecture has no bpf syscall in the tables.");
        fixed (T* p = &attr)
        {
            return (int)SyscallBpf(number, command, p, (uint)sizeof(T));
        }
    }
}
