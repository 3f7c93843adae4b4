using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "gettid")]
    internal static partial int Gettid();

    [ThreadStatic]
    private static int t_tid;

    /// <summary>The calling thread's kernel tid, cached per thread so that asking twice makes one syscall.</summary>
    internal static int CurrentTid => t_tid != 0 ? t_tid : (t_tid = Gettid());
}
