namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// The curated entry points per library: launch, allocation and free, copies, synchronization, streams and events,
/// contexts. Chosen as the calls whose OS cost a GPU-systems reader asks about; a library that lacks one (older, or
/// stripped) is simply not probed there, with a note.
/// </summary>
internal static class ApiCatalog
{
    internal sealed record Library(ApiLibraries Flag, string SoName, IReadOnlyList<string> Functions);

    internal static IReadOnlyList<Library> All { get; } =
    [
        new(ApiLibraries.Cuda, "libcuda.so.1",
        [
            "cuInit", "cuCtxCreate_v2", "cuCtxDestroy_v2", "cuDevicePrimaryCtxRetain", "cuDevicePrimaryCtxRelease_v2", "cuCtxSynchronize",
            "cuModuleLoadData", "cuModuleLoadDataEx", "cuLibraryLoadData",
            "cuLaunchKernel", "cuLaunchKernelEx", "cuLaunchCooperativeKernel", "cuGraphLaunch", "cuLaunchHostFunc",
            "cuMemAlloc_v2", "cuMemFree_v2", "cuMemAllocHost_v2", "cuMemHostAlloc", "cuMemFreeHost", "cuMemAllocManaged", "cuMemAllocAsync", "cuMemFreeAsync",
            "cuMemAllocFromPoolAsync", "cuMemCreate", "cuMemMap", "cuMemUnmap", "cuMemRelease", "cuMemAddressReserve", "cuMemAddressFree", "cuMemHostRegister_v2",
            "cuMemcpy", "cuMemcpyAsync", "cuMemcpyHtoD_v2", "cuMemcpyDtoH_v2", "cuMemcpyDtoD_v2", "cuMemcpyHtoDAsync_v2", "cuMemcpyDtoHAsync_v2", "cuMemcpyDtoDAsync_v2",
            "cuMemsetD8_v2", "cuMemsetD32_v2", "cuMemsetD8Async", "cuMemsetD32Async",
            "cuStreamCreate", "cuStreamCreateWithPriority", "cuStreamDestroy_v2", "cuStreamSynchronize", "cuStreamQuery", "cuStreamWaitEvent",
            "cuEventCreate", "cuEventDestroy_v2", "cuEventRecord", "cuEventRecordWithFlags", "cuEventSynchronize", "cuEventQuery",
        ]),
        new(ApiLibraries.OpenCl, "libOpenCL.so.1",
        [
            "clGetPlatformIDs", "clCreateContext", "clReleaseContext", "clCreateCommandQueueWithProperties", "clCreateCommandQueue", "clReleaseCommandQueue",
            "clBuildProgram", "clCreateKernel", "clSetKernelArg",
            "clEnqueueNDRangeKernel", "clEnqueueTask",
            "clCreateBuffer", "clReleaseMemObject", "clSVMAlloc", "clSVMFree",
            "clEnqueueReadBuffer", "clEnqueueWriteBuffer", "clEnqueueCopyBuffer", "clEnqueueFillBuffer", "clEnqueueMapBuffer", "clEnqueueUnmapMemObject",
            "clFinish", "clFlush", "clWaitForEvents", "clGetEventInfo", "clEnqueueMarkerWithWaitList", "clEnqueueBarrierWithWaitList", "clSetEventCallback", "clReleaseEvent",
        ]),
        new(ApiLibraries.Hip, "libamdhip64.so",
        [
            "hipInit", "hipSetDevice", "hipCtxCreate", "hipDeviceSynchronize",
            "hipModuleLoadData", "hipModuleLaunchKernel", "hipLaunchKernel", "hipLaunchHostFunc", "hipGraphLaunch",
            "hipMalloc", "hipFree", "hipHostMalloc", "hipHostFree", "hipMallocManaged", "hipMallocAsync", "hipFreeAsync",
            "hipMemcpy", "hipMemcpyAsync", "hipMemcpyHtoD", "hipMemcpyDtoH", "hipMemset", "hipMemsetAsync",
            "hipStreamCreate", "hipStreamDestroy", "hipStreamSynchronize", "hipStreamQuery", "hipStreamWaitEvent",
            "hipEventCreate", "hipEventDestroy", "hipEventRecord", "hipEventSynchronize", "hipEventQuery",
        ]),
    ];
}
