using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class Libc
{
    /// <summary>gettid(2): the calling thread's kernel id, as traces name threads.</summary>
    [LibraryImport(LibraryName, EntryPoint = "gettid")]
    internal static partial int Gettid();
}
