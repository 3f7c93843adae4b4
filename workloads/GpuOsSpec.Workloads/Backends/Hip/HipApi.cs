using System.Text;
using GpuOs;
using GpuOsSpec.Workloads.Backends.DriverApi;

namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>HIP's calls for the driver-API types: hipError_t checked, named by the runtime. The device is the
/// context.</summary>
internal readonly unsafe struct HipApi : IDriverApi
{
    public static string Name => "hip";

    public static IReadOnlyList<(string Library, string Fix)> Libraries { get; } =
    [
        (Interop.Hip.LibraryName, "install ROCm's HIP runtime"),
        (Interop.HipRtc.LibraryName, "install ROCm's hiprtc"),
    ];

    public static KernelSource StandardKernels => HipKernels.Source;

    public static string InOrderStreams => "HIP streams run in order; use several streams with events for concurrency.";

    public static CompletionVendor CompletionVendor => CompletionVendor.Hip;

    public static int Initialize()
    {
        int init = Interop.Hip.hipInit(0);
        HipErrors.RuntimeLoaded = true;
        return init;
    }

    public static string? WhyUnusable(int init, out int version, out int devices)
    {
        version = devices = 0;
        if (init == 100)
        {
            return "no device: hipInit reports hipErrorNoDevice";
        }
        HipErrors.Check(init, "hipInit");
        HipErrors.Check(Interop.Hip.hipDriverGetVersion(out version), "hipDriverGetVersion");
        HipErrors.Check(Interop.Hip.hipGetDeviceCount(out devices), "hipGetDeviceCount");
        return devices == 0 ? "no device: hipGetDeviceCount returned 0" : null;
    }

    public static DeviceInfo Describe(int index, int version)
    {
        byte* name = stackalloc byte[256];
        HipErrors.Check(Interop.Hip.hipDeviceGetName(name, 256, index), "hipDeviceGetName");
        return new DeviceInfo(index, Encoding.UTF8.GetString(new ReadOnlySpan<byte>(name, 256)).TrimEnd('\0'), 0, $"HIP runtime {version}");
    }

    public static nint OpenContext(DeviceInfo device, SyncMode syncMode)
    {
        HipErrors.Check(Interop.Hip.hipSetDevice(device.Index), "hipSetDevice");
        uint flags = syncMode switch
        {
            SyncMode.Spin => Interop.Hip.DeviceScheduleSpin,
            SyncMode.Yield => Interop.Hip.DeviceScheduleYield,
            SyncMode.Blocking => Interop.Hip.DeviceScheduleBlockingSync,
            _ => Interop.Hip.DeviceScheduleAuto,
        };
        // hipSetDeviceFlags fails once the device is in use; the flags then stay as first set, which is reported.
        int rc = Interop.Hip.hipSetDeviceFlags(flags);
        if (rc != 0 && rc != 708)
        {
            HipErrors.Check(rc, "hipSetDeviceFlags");
        }
        return 0;
    }

    public static void MakeCurrent(nint context)
    {
    }

    public static void SynchronizeContext() => HipErrors.Check(Interop.Hip.hipDeviceSynchronize(), "hipDeviceSynchronize");

    public static void Drain(nint context) => Interop.Hip.hipDeviceSynchronize();

    public static void CloseContext(nint context)
    {
    }

    public static nint LoadModule(byte* image)
    {
        HipErrors.Check(Interop.Hip.hipModuleLoadData(out nint module, image), "hipModuleLoadData");
        return module;
    }

    public static nint GetFunction(nint module, byte* name, string kernel)
    {
        HipErrors.Check(Interop.Hip.hipModuleGetFunction(out nint function, module, name), $"hipModuleGetFunction({kernel})");
        return function;
    }

    public static void UnloadModule(nint module) => Interop.Hip.hipModuleUnload(module);

    // hipMalloc (device), hipHostMalloc (pinned) or hipMallocManaged (mapped): one address for the host and the device.
    public static (ulong Device, nint Host) Allocate(long bytes, MemoryKind kind)
    {
        nint p;
        switch (kind)
        {
            case MemoryKind.Device:
                HipErrors.Check(Interop.Hip.hipMalloc(out p, (nuint)bytes), "hipMalloc");
                break;
            case MemoryKind.PinnedHost:
                HipErrors.Check(Interop.Hip.hipHostMalloc(out p, (nuint)bytes, Interop.Hip.HostMallocDefault), "hipHostMalloc");
                break;
            default:
                HipErrors.Check(Interop.Hip.hipMallocManaged(out p, (nuint)bytes, Interop.Hip.MemAttachGlobal), "hipMallocManaged");
                break;
        }
        return ((ulong)p, p);
    }

    public static void Free(ulong device) => Interop.Hip.hipFree((nint)device);

    public static void FreeHost(nint host) => Interop.Hip.hipHostFree(host);

    public static nint CreateStream()
    {
        HipErrors.Check(Interop.Hip.hipStreamCreateWithFlags(out nint stream, Interop.Hip.StreamNonBlocking), "hipStreamCreateWithFlags");
        return stream;
    }

    public static void DestroyStream(nint stream) => Interop.Hip.hipStreamDestroy(stream);

    public static void Launch(nint function, LaunchShape shape, nint stream, void** arguments) =>
        HipErrors.Check(Interop.Hip.hipModuleLaunchKernel(function, shape.Blocks, 1, 1, shape.ThreadsPerBlock, 1, 1, 0, stream, arguments, null), "hipModuleLaunchKernel");

    public static void CopyToDevice(ulong destination, byte* source, nuint bytes, nint stream)
    {
        HipErrors.Check(Interop.Hip.hipMemcpyAsync((nint)destination, (nint)source, bytes, Interop.Hip.MemcpyHostToDevice, stream), "hipMemcpyAsync");
        SynchronizeStream(stream);
    }

    public static void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource, nint stream) =>
        HipErrors.Check(Interop.Hip.hipMemcpyAsync(Address(destination), Address(pinnedSource), (nuint)Math.Min(destination.Bytes, pinnedSource.Bytes), Interop.Hip.MemcpyHostToDevice, stream), "hipMemcpyAsync");

    public static void CopyToHost(byte* destination, ulong source, nuint bytes, nint stream)
    {
        HipErrors.Check(Interop.Hip.hipMemcpyAsync((nint)destination, (nint)source, bytes, Interop.Hip.MemcpyDeviceToHost, stream), "hipMemcpyAsync");
        SynchronizeStream(stream);
    }

    public static void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source, nint stream) =>
        HipErrors.Check(Interop.Hip.hipMemcpyAsync(Address(pinnedDestination), Address(source), (nuint)Math.Min(source.Bytes, pinnedDestination.Bytes), Interop.Hip.MemcpyDeviceToHost, stream), "hipMemcpyAsync");

    public static void SynchronizeStream(nint stream) => HipErrors.Check(Interop.Hip.hipStreamSynchronize(stream), "hipStreamSynchronize");

    public static nint RecordEvent(nint stream, bool blockingSync)
    {
        uint flags = Interop.Hip.EventDisableTiming | (blockingSync ? Interop.Hip.EventBlockingSync : 0);
        HipErrors.Check(Interop.Hip.hipEventCreateWithFlags(out nint e, flags), "hipEventCreateWithFlags");
        HipErrors.Check(Interop.Hip.hipEventRecord(e, stream), "hipEventRecord");
        return e;
    }

    public static void WaitEvent(nint stream, nint gpuEvent) => HipErrors.Check(Interop.Hip.hipStreamWaitEvent(stream, gpuEvent, 0), "hipStreamWaitEvent");

    public static bool EventComplete(nint gpuEvent)
    {
        int r = Interop.Hip.hipEventQuery(gpuEvent);
        if (r == Interop.Hip.NotReady)
        {
            return false;
        }
        HipErrors.Check(r, "hipEventQuery");
        return true;
    }

    public static void SynchronizeEvent(nint gpuEvent) => HipErrors.Check(Interop.Hip.hipEventSynchronize(gpuEvent), "hipEventSynchronize");

    public static void DestroyEvent(nint gpuEvent) => Interop.Hip.hipEventDestroy(gpuEvent);

    // HIP has one address for a buffer, wherever it lives; an asynchronous copy takes any buffer.
    private static nint Address(IGpuBuffer buffer) => ((DriverBuffer<HipApi>)buffer).HostPointer;
}
