using System.Text;
using GpuOs;
using GpuOsSpec.Workloads.Backends.DriverApi;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>The CUDA driver API's calls for the driver-API types: CUresults checked, named by the driver.</summary>
internal readonly unsafe struct CudaApi : IDriverApi
{
    public static string Name => "cuda";

    public static IReadOnlyList<(string Library, string Fix)> Libraries { get; } = [(Interop.Cuda.LibraryName, "install the NVIDIA driver")];

    public static KernelSource StandardKernels => CudaKernels.Source;

    public static string InOrderStreams => "CUDA streams run in order; use several streams with events for concurrency (OpenCL has out-of-order queues).";

    public static CompletionVendor CompletionVendor => CompletionVendor.Cuda;

    public static int Initialize()
    {
        var init = Interop.Cuda.cuInit(0);
        CudaErrors.DriverLoaded = true;
        return (int)init;
    }

    public static string? WhyUnusable(int init, out int version, out int devices)
    {
        version = devices = 0;
        if ((CuResult)init == CuResult.NoDevice)
        {
            return "no device: cuInit reports CUDA_ERROR_NO_DEVICE";
        }
        CudaErrors.Check((CuResult)init, "cuInit");
        CudaErrors.Check(Interop.Cuda.cuDriverGetVersion(out version), "cuDriverGetVersion");
        if (version < CudaBackend.MinimumDriverVersion)
        {
            return $"driver too old: CUDA {Format(version)}, GpuOsSpec needs {Format(CudaBackend.MinimumDriverVersion)} or later";
        }
        CudaErrors.Check(Interop.Cuda.cuDeviceGetCount(out devices), "cuDeviceGetCount");
        return devices == 0 ? "no device: cuDeviceGetCount returned 0" : null;
    }

    public static DeviceInfo Describe(int index, int version)
    {
        CudaErrors.Check(Interop.Cuda.cuDeviceGet(out int device, index), "cuDeviceGet");
        byte* name = stackalloc byte[256];
        CudaErrors.Check(Interop.Cuda.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
        CudaErrors.Check(Interop.Cuda.cuDeviceTotalMem_v2(out nuint bytes, device), "cuDeviceTotalMem");
        return new DeviceInfo(index, Encoding.UTF8.GetString(new ReadOnlySpan<byte>(name, 256)).TrimEnd('\0'), (long)bytes, $"CUDA driver {Format(version)}");
    }

    public static nint OpenContext(DeviceInfo device, SyncMode syncMode)
    {
        uint flags = syncMode switch
        {
            SyncMode.Spin => Interop.Cuda.CtxSchedSpin,
            SyncMode.Yield => Interop.Cuda.CtxSchedYield,
            SyncMode.Blocking => Interop.Cuda.CtxSchedBlockingSync,
            _ => Interop.Cuda.CtxSchedAuto,
        };
        CudaErrors.Check(Interop.Cuda.cuDeviceGet(out int ordinal, device.Index), "cuDeviceGet");
        CudaErrors.Check(Interop.Cuda.cuCtxCreate_v2(out nint context, flags, ordinal), "cuCtxCreate");
        return context;
    }

    public static void MakeCurrent(nint context) => CudaErrors.Check(Interop.Cuda.cuCtxSetCurrent(context), "cuCtxSetCurrent");

    public static void SynchronizeContext() => CudaErrors.Check(Interop.Cuda.cuCtxSynchronize(), "cuCtxSynchronize");

    public static void Drain(nint context)
    {
        Interop.Cuda.cuCtxSetCurrent(context);
        Interop.Cuda.cuCtxSynchronize();
    }

    public static void CloseContext(nint context) => Interop.Cuda.cuCtxDestroy_v2(context);

    public static nint LoadModule(byte* image)
    {
        CudaErrors.Check(Interop.Cuda.cuModuleLoadData(out nint module, image), "cuModuleLoadData");
        return module;
    }

    public static nint GetFunction(nint module, byte* name, string kernel)
    {
        CudaErrors.Check(Interop.Cuda.cuModuleGetFunction(out nint function, module, name), $"cuModuleGetFunction({kernel})");
        return function;
    }

    public static void UnloadModule(nint module) => Interop.Cuda.cuModuleUnload(module);

    // cuMemAlloc (device), cuMemHostAlloc (pinned) or cuMemAllocManaged (mapped).
    public static (ulong Device, nint Host) Allocate(long bytes, MemoryKind kind)
    {
        switch (kind)
        {
            case MemoryKind.Device:
                CudaErrors.Check(Interop.Cuda.cuMemAlloc_v2(out ulong d, (nuint)bytes), "cuMemAlloc");
                return (d, 0);
            case MemoryKind.PinnedHost:
                CudaErrors.Check(Interop.Cuda.cuMemHostAlloc(out nint h, (nuint)bytes, Interop.Cuda.MemHostAllocPortable), "cuMemHostAlloc");
                return ((ulong)h, h); // unified addressing: the host address is valid on the device
            default:
                CudaErrors.Check(Interop.Cuda.cuMemAllocManaged(out ulong m, (nuint)bytes, Interop.Cuda.MemAttachGlobal), "cuMemAllocManaged");
                return (m, (nint)m);
        }
    }

    public static void Free(ulong device) => Interop.Cuda.cuMemFree_v2(device);

    public static void FreeHost(nint host) => Interop.Cuda.cuMemFreeHost(host);

    public static nint CreateStream()
    {
        CudaErrors.Check(Interop.Cuda.cuStreamCreate(out nint stream, Interop.Cuda.StreamNonBlocking), "cuStreamCreate");
        return stream;
    }

    public static void DestroyStream(nint stream) => Interop.Cuda.cuStreamDestroy_v2(stream);

    public static void Launch(nint function, LaunchShape shape, nint stream, void** arguments) =>
        CudaErrors.Check(Interop.Cuda.cuLaunchKernel(function, shape.Blocks, 1, 1, shape.ThreadsPerBlock, 1, 1, 0, stream, arguments, null), "cuLaunchKernel");

    public static void CopyToDevice(ulong destination, byte* source, nuint bytes, nint stream) =>
        CudaErrors.Check(Interop.Cuda.cuMemcpyHtoD_v2(destination, source, bytes), "cuMemcpyHtoD");

    public static void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource, nint stream)
    {
        var src = RequirePinned(pinnedSource);
        CudaErrors.Check(Interop.Cuda.cuMemcpyHtoDAsync_v2(((DriverBuffer<CudaApi>)destination).DevicePointer, (void*)src.HostPointer, (nuint)Math.Min(src.Bytes, destination.Bytes), stream), "cuMemcpyHtoDAsync");
    }

    public static void CopyToHost(byte* destination, ulong source, nuint bytes, nint stream) =>
        CudaErrors.Check(Interop.Cuda.cuMemcpyDtoH_v2(destination, source, bytes), "cuMemcpyDtoH");

    public static void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source, nint stream)
    {
        var dst = RequirePinned(pinnedDestination);
        CudaErrors.Check(Interop.Cuda.cuMemcpyDtoHAsync_v2((void*)dst.HostPointer, ((DriverBuffer<CudaApi>)source).DevicePointer, (nuint)Math.Min(dst.Bytes, source.Bytes), stream), "cuMemcpyDtoHAsync");
    }

    public static void SynchronizeStream(nint stream) => CudaErrors.Check(Interop.Cuda.cuStreamSynchronize(stream), "cuStreamSynchronize");

    public static nint RecordEvent(nint stream, bool blockingSync)
    {
        uint flags = Interop.Cuda.EventDisableTiming | (blockingSync ? Interop.Cuda.EventBlockingSync : 0);
        CudaErrors.Check(Interop.Cuda.cuEventCreate(out nint e, flags), "cuEventCreate");
        CudaErrors.Check(Interop.Cuda.cuEventRecord(e, stream), "cuEventRecord");
        return e;
    }

    public static void WaitEvent(nint stream, nint gpuEvent) => CudaErrors.Check(Interop.Cuda.cuStreamWaitEvent(stream, gpuEvent, 0), "cuStreamWaitEvent");

    public static bool EventComplete(nint gpuEvent)
    {
        var r = Interop.Cuda.cuEventQuery(gpuEvent);
        if (r == CuResult.NotReady)
        {
            return false;
        }
        CudaErrors.Check(r, "cuEventQuery");
        return true;
    }

    public static void SynchronizeEvent(nint gpuEvent) => CudaErrors.Check(Interop.Cuda.cuEventSynchronize(gpuEvent), "cuEventSynchronize");

    public static void DestroyEvent(nint gpuEvent) => Interop.Cuda.cuEventDestroy_v2(gpuEvent);

    private static DriverBuffer<CudaApi> RequirePinned(IGpuBuffer buffer) => buffer is DriverBuffer<CudaApi> { Kind: MemoryKind.PinnedHost } b
        ? b
        : throw new ArgumentException("An asynchronous copy needs a pinned host buffer (MemoryKind.PinnedHost).", nameof(buffer));

    private static string Format(int version) => $"{version / 1000}.{version % 1000 / 10}";
}
