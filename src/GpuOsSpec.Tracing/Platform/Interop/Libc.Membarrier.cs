using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    /// <summary>MEMBARRIER_CMD_GLOBAL: returns after every CPU has passed an RCU grace period.</summary>
    internal const int MembarrierCmdGlobal = 1;

    [LibraryImport(LibraryName, EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallMembarrier(long number, int command, uint flags, int cpuId);

    /// <summary>membarrier(2), which has no libc wrapper, through syscall(2): 0, or -1 with errno set.</summary>
    internal static int Membarrier(int command)
    {
        long number = SyscallTable.Current.Number("membarrier") ?? throw new PlatformNotSupportedException("This architecture has no membarrier syscall in the tables.");
        return (int)SyscallMembarrier(number, command, 0, 0);
    }
}
