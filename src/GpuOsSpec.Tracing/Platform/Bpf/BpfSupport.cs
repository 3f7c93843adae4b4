using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Bpf;

/// <summary>
/// What loading an eBPF object needs from the machine beyond the kernel's permission: libbpf (Debian's libbpf1) to
/// load it, and the kernel's own BTF, against which libbpf relocates the programs' field accesses (CO-RE). Checked
/// without loading anything into the kernel.
/// </summary>
internal static class BpfSupport
{
    /// <summary>Where the kernel exposes its BTF; a kernel built without CONFIG_DEBUG_INFO_BTF has no such file.</summary>
    internal const string KernelBtf = "/sys/kernel/btf/vmlinux";

    /// <summary>What is missing and its fix, or null when libbpf and the kernel's BTF are both present.</summary>
    /// <param name="library">The library to load; tests point it at one that does not exist.</param>
    /// <param name="btf">The kernel BTF file; tests point it at one that does not exist.</param>
    internal static (string Missing, string Fix)? Missing(string library = Interop.Libbpf.LibraryName, string btf = KernelBtf)
    {
        if (!NativeLibrary.TryLoad(library, out nint handle))
        {
            return ($"{library} (libbpf 1.x, which loads the eBPF programs) cannot be loaded",
                "apt-get install libbpf1 (Debian, Ubuntu) or dnf install libbpf (Fedora)");
        }
        NativeLibrary.Free(handle);
        if (!File.Exists(btf))
        {
            return ($"the kernel exposes no BTF ({btf} is missing), and the eBPF programs are relocated against it (CO-RE)",
                "boot a kernel built with CONFIG_DEBUG_INFO_BTF=y (every major distribution's kernel since 2020 is)");
        }
        return null;
    }
}
