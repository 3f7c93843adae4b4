namespace GpuOsSpec.Tracing.Platform.Bpf;

/// <summary>libbpf or the kernel refused an eBPF object, program or map: the message says which and why (with the tail
/// of libbpf's log, the verifier's included); the caller adds what it means for the capture.</summary>
internal sealed class BpfException(string message, int errno) : TracerException(message)
{
    /// <summary>The errno libbpf reported, or 0.</summary>
    internal int Errno { get; } = errno;

    /// <summary>True when the refusal was for want of privilege: bpf(2) says EPERM. (EACCES is the verifier refusing a
    /// program, not a permission.)</summary>
    internal bool IsPermission => Errno is Interop.Errno.EPERM;
}
