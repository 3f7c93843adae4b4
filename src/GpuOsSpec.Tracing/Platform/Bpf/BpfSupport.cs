using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Bpf;

/// <summary>
/// What loading an eBPF object needs from the machine: libbpf (Debian's libbpf1) to load it, the kernel's own BTF,
/// against which libbpf relocates the programs' field accesses (CO-RE), and the capabilities to load and attach
/// tracing programs. Checked without loading anything into the kernel.
/// </summary>
internal static class BpfSupport
{
    /// <summary>Where the kernel exposes its BTF; a kernel built without CONFIG_DEBUG_INFO_BTF has no such
    /// file.</summary>
    internal const string KernelBtf = "/sys/kernel/btf/vmlinux";

    /// <summary>What is missing and its fix, or null when libbpf and the kernel's BTF are both present.</summary>
    /// <param name="library">The library to load; tests point it at one that does not exist.</param>
    /// <param name="btf">The kernel BTF file; tests point it at one that does not exist.</param>
    /// <param name="status">/proc/self/status as text, or null to read it; tests give one without capabilities.</param>
    internal static (string Missing, string Fix)? Missing(string library = Interop.Libbpf.LibraryName, string btf = KernelBtf, string? status = null)
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
        if (!Privileged(status ?? (File.Exists(StatusFile) ? File.ReadAllText(StatusFile) : "")))
        {
            return ("loading eBPF tracing programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), and this process has neither",
                "run as root, or grant CAP_BPF and CAP_PERFMON");
        }
        return null;
    }

    private const string StatusFile = "/proc/self/status";
    private const int CapSysAdmin = 21, CapPerfmon = 38, CapBpf = 39;

    /// <summary>Whether the effective capabilities (the CapEff line of <paramref name="status"/>, /proc/PID/status)
    /// permit loading and attaching tracing programs: CAP_BPF with CAP_PERFMON, or CAP_SYS_ADMIN (what both split
    /// from, and what a kernel before 5.8 requires).</summary>
    internal static bool Privileged(string status)
    {
        string? line = status.Split('\n').FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        if (line is null || !ulong.TryParse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out ulong caps))
        {
            // No /proc to read: let the kernel answer at load, with its own errno.
            return true;
        }
        static bool Has(ulong set, int cap) => (set & (1UL << cap)) != 0;
        return Has(caps, CapSysAdmin) || (Has(caps, CapBpf) && Has(caps, CapPerfmon));
    }
}
