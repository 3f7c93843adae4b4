using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    /// <summary>vsnprintf, to format libbpf's messages: <paramref name="args"/> is the va_list libbpf's print callback
    /// receives, passed on as it came (a pointer on x86-64 and arm64), and consumed.</summary>
    [LibraryImport(LibraryName, EntryPoint = "vsnprintf")]
    internal static unsafe partial int Vsnprintf(byte* buffer, nuint size, byte* format, nint args);
}
