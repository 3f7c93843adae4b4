namespace GpuOsSpec.Tracing.Platform.Interop;

/// <summary>
/// Bindings to libbpf 1.x (Debian's libbpf1). One native call per file; this part holds the library name. libbpf 1.x
/// returns NULL from a call that yields a pointer and sets errno (SetLastError captures it), and a negative errno from
/// a call that yields an int.
/// </summary>
internal static partial class Libbpf
{
    /// <summary>The soname: libbpf1 installs it without the development symlink (libbpf.so), which libbpf-dev
    /// adds.</summary>
    internal const string LibraryName = "libbpf.so.1";

    /// <summary>libbpf_print_level: LIBBPF_WARN, LIBBPF_INFO, LIBBPF_DEBUG.</summary>
    internal const int PrintWarn = 0, PrintInfo = 1, PrintDebug = 2;

    /// <summary>BPF_ANY: create the element or update it.</summary>
    internal const ulong UpdateAny = 0;
}
