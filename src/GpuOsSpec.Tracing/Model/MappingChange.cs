namespace GpuOsSpec.Tracing.Model;

/// <summary>A successful change to the memory mappings, from the mmap family of syscalls.</summary>
/// <param name="Tid">The calling thread.</param>
/// <param name="TimeNs">CLOCK_MONOTONIC nanoseconds at entry.</param>
/// <param name="Kind">What changed.</param>
/// <param name="Address">The address (for mmap, the one returned).</param>
/// <param name="Length">The length in bytes.</param>
/// <param name="Protection">PROT_* bits for mmap and mprotect, else 0.</param>
/// <param name="Device">For a file or device mapping, its path (or "fd N"); null for anonymous memory.</param>
public sealed record MappingChange(int Tid, long TimeNs, MappingChangeKind Kind, ulong Address, ulong Length, int Protection, string? Device);
