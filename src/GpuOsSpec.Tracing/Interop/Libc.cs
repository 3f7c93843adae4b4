using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Interop;

/// <summary>Bindings to the C library. One native call per file; this part holds the library name.</summary>
internal static partial class Libc
{
    internal const string LibraryName = "libc";

    /// <summary>Retries a call that failed with EINTR, as the kernel asks of every interruptible syscall.</summary>
    internal static long RetryOnInterrupt(Func<long> call)
    {
        while (true)
        {
            long result = call();
            if (result != -1 || Marshal.GetLastPInvokeError() != Errno.EINTR)
            {
                return result;
            }
        }
    }
}
