using System.Runtime.InteropServices;

namespace GpuOs.Interop;

internal static partial class Native
{
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void gpuos_mark(string name);
}
