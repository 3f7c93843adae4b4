using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

/// <summary>Bindings to the C library. One native call per file; this part holds the library name.</summary>
internal static partial class Libc
{
    internal const string LibraryName = "libc";
}
