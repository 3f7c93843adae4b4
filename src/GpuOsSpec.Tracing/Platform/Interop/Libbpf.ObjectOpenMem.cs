using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_object__open_mem(buffer, size, opts): the object, or null with errno set. The buffer must outlive
    /// bpf_object__load, which reads the ELF image in place.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    internal static unsafe partial nint ObjectOpenMem(byte* buffer, nuint size, nint options);
}
