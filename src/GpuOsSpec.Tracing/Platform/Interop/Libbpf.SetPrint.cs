using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>libbpf_set_print: the function that receives every message libbpf would print to stderr (level, printf
    /// format, va_list); returns the previous one.</summary>
    [LibraryImport(LibraryName, EntryPoint = "libbpf_set_print")]
    internal static unsafe partial nint SetPrint(delegate* unmanaged[Cdecl]<int, byte*, nint, int> print);
}
