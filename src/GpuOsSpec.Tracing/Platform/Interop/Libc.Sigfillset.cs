using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    /// <summary>Room for a sigset_t (128 bytes in glibc).</summary>
    internal const int SigsetSize = 128;

    [LibraryImport(LibraryName, EntryPoint = "sigfillset")]
    internal static unsafe partial int Sigfillset(byte* set);
}
