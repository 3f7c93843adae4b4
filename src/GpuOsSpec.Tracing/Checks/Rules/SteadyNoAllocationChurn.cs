namespace GpuOsSpec.Tracing.Checks.Rules;

/// <summary>
/// No driver allocation and free churn inside a steady phase: a step that allocates device memory and frees it again
/// (a caching allocator turned off) pays the driver each time. Counted from the probed API calls with --api, else from
/// the driver's allocation and free ioctls; a churn is an allocation and a free in the same warm run, so a pool that
/// only grows is no churn.
/// </summary>
public sealed class SteadyNoAllocationChurn : SteadyCountRule
{
    private static readonly HashSet<string> s_allocCalls = new(StringComparer.Ordinal)
    {
        "cuMemAlloc_v2", "cuMemAllocHost_v2", "cuMemHostAlloc", "cuMemAllocManaged", "cuMemCreate", "cuMemHostRegister_v2",
        "clCreateBuffer", "clSVMAlloc", "hipMalloc", "hipHostMalloc", "hipMallocManaged",
    };

    private static readonly HashSet<string> s_freeCalls = new(StringComparer.Ordinal)
    {
        "cuMemFree_v2", "cuMemFreeHost", "cuMemRelease", "clReleaseMemObject", "clSVMFree", "hipFree", "hipHostFree",
    };

    private static readonly HashSet<string> s_allocIoctls = new(StringComparer.Ordinal)
    {
        "NV_ESC_RM_ALLOC", "NV_ESC_RM_ALLOC_MEMORY", "NV_ESC_RM_VID_HEAP_CONTROL", "UVM_MAP_EXTERNAL_ALLOCATION", "AMDKFD_IOC_ALLOC_MEMORY_OF_GPU", "DRM_IOCTL_AMDGPU_GEM_CREATE",
    };

    private static readonly HashSet<string> s_freeIoctls = new(StringComparer.Ordinal)
    {
        "NV_ESC_RM_FREE", "UVM_FREE", "AMDKFD_IOC_FREE_MEMORY_OF_GPU", "DRM_IOCTL_GEM_CLOSE",
    };

    /// <inheritdoc/>
    public override string Id => "steady-no-allocation-churn";

    /// <inheritdoc/>
    public override string Title => "A steady phase does not allocate and free device memory through the driver";

    /// <inheritdoc/>
    public override string Basis =>
        "H200: with PyTorch's caching allocator bypassed (an empty_cache and a 64 MiB allocation per step, the PYTORCH_NO_CUDA_MEMORY_CACHING=1 signature), " +
        "each step added cuMemAlloc_v2 and cuMemFree_v2 with NV_ESC_RM_ALLOC/RM_FREE and UVM_MAP_EXTERNAL_ALLOCATION/UVM_FREE ioctls (docs/h200-api-2026-12-02/baseline-extra.txt); " +
        "about 7 ioctls per cuMemAlloc+cuMemFree pair of 1 MB";

    /// <inheritdoc/>
    protected override string What => "allocation-and-free pairs";

    /// <inheritdoc/>
    protected override (Measurement Count, string Evidence, IReadOnlyList<EvidenceItem> Items) Count(CheckScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var view = scope.View;
        if (view.Trace.ApiCallsRecorded)
        {
            var calls = view.ApiCalls.Where(c => s_allocCalls.Contains(c.Name) || s_freeCalls.Contains(c.Name)).ToList();
            long allocs = calls.LongCount(c => s_allocCalls.Contains(c.Name));
            long frees = calls.Count - allocs;
            // A call's syscalls are shown only where each call holds all of them (not joined from samples in hybrid
            // mode).
            bool whole = view.Trace.ApiSyscallsUnmeasured is null;
            string shown = $"{allocs:N0} allocation(s) and {frees:N0} free(s) through the API: " +
                TraceEvidence.First(view, calls, c => c.Tid, c => c.StartNs, c => whole ? $"{c.Name} ({c.Syscalls} syscall(s))" : c.Name);
            return (new Measurement(Math.Min(allocs, frees), "API probes"), shown, EvidenceItems.Events(scope, calls, c => c.Name, c => c.Tid, c => c.StartNs));
        }
        if (!view.Trace.SyscallsMeasured)
        {
            return (Measurement.Absent(view.SyscallsUnmeasured()!), "", []);
        }
        var ioctls = view.Syscalls.Where(s => s.Ioctl?.Name is { } n && (s_allocIoctls.Contains(n) || s_freeIoctls.Contains(n))).ToList();
        long allocated = ioctls.LongCount(s => s_allocIoctls.Contains(s.Ioctl!.Name!));
        long freed = ioctls.Count - allocated;
        string evidence = $"{allocated:N0} allocation and {freed:N0} free ioctl(s) of the driver (probe the API with --api for the calls): {TraceEvidence.TopSyscalls(view, ioctls)}";
        return (new Measurement(Math.Min(allocated, freed), CaptureNames.Of(view.Trace.Source)), evidence, EvidenceItems.Syscalls(scope, ioctls));
    }
}
