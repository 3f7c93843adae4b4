using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>bpf_program__attach_uprobe: an entry (or return) probe at <paramref name="offset"/> in the file; pid -1
    /// for every process. The link, or null with errno set.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach_uprobe", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ProgramAttachUprobe(nint program, [MarshalAs(UnmanagedType.U1)] bool returnProbe, int pid, string binaryPath, nuint offset);
}
