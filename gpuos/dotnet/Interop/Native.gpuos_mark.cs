using System.Runtime.InteropServices;

namespace GpuOs.Interop;

internal static partial class Native
{
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int gpuos_mark(string name);
}
