namespace GpuOsSpec.Workloads.Backends;

/// <summary>Where a buffer lives.</summary>
public enum MemoryKind
{
    /// <summary>Device memory.</summary>
    Device,
    /// <summary>Page-locked host memory (cuMemHostAlloc, hipHostMalloc, OpenCL CL_MEM_ALLOC_HOST_PTR).</summary>
    PinnedHost,
    /// <summary>Memory both sides reach directly: CUDA/HIP managed memory, an OpenCL host-mapped buffer.</summary>
    Mapped,
}
