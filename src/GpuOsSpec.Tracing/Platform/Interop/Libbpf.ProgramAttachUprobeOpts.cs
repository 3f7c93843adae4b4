using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libbpf
{
    /// <summary>struct bpf_uprobe_opts as libbpf 1.1 lays it out (sz first: libbpf reads no field past it).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct UprobeOpts
    {
        internal nuint Size;
        internal nuint RefCounterOffset;
        internal ulong Cookie;
        internal byte ReturnProbe; // C bool
        internal nint FunctionName;
    }

    /// <summary>bpf_program__attach_uprobe_opts: an entry (or return) probe at <paramref name="offset"/> in the file,
    /// with the bpf cookie the program reads through bpf_get_attach_cookie; pid -1 for every process. The link, or null
    /// with errno set.</summary>
    [LibraryImport(LibraryName, EntryPoint = "bpf_program__attach_uprobe_opts", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial nint ProgramAttachUprobeOpts(nint program, int pid, string binaryPath, nuint offset, UprobeOpts* options);
}
