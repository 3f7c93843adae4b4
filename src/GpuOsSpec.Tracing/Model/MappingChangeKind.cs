namespace GpuOsSpec.Tracing.Model;

/// <summary>How the address space changed.</summary>
public enum MappingChangeKind
{
    /// <summary>mmap: a new mapping.</summary>
    Map,
    /// <summary>munmap.</summary>
    Unmap,
    /// <summary>mprotect.</summary>
    Protect,
    /// <summary>mremap.</summary>
    Remap,
    /// <summary>brk moved the heap's end.</summary>
    Brk,
    /// <summary>madvise.</summary>
    Advise,
}
