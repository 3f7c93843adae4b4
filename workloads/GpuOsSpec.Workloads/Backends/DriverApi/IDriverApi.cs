using GpuOs;

namespace GpuOsSpec.Workloads.Backends.DriverApi;

/// <summary>
/// What a driver-API backend (CUDA, HIP) does its own way: its native calls, one member each, and the few facts that
/// tell the vendors apart. The Driver* types hold all the rest, once. A call checks its result and throws
/// <see cref="GpuBackendException"/> with the vendor's error name; the calls that release (Drain, Close, Free, Unload,
/// Destroy) never throw, as a Dispose must not.
/// </summary>
/// <remarks>
/// Implemented by structs with static members only: a struct type argument has the generic code compiled for each
/// vendor, so a launch calls the vendor's function directly, as the vendor's own class did.
/// </remarks>
internal unsafe interface IDriverApi
{
    /// <summary>cuda or hip.</summary>
    static abstract string Name { get; }

    /// <summary>The native libraries the backend loads, each with the fix when it is missing, in the order
    /// checked.</summary>
    static abstract IReadOnlyList<(string Library, string Fix)> Libraries { get; }

    /// <summary>The kernels of <see cref="StandardKernels"/> in the backend's language.</summary>
    static abstract KernelSource StandardKernels { get; }

    /// <summary>Why a stream cannot be out of order (the message of the <see cref="NotSupportedException"/>).</summary>
    static abstract string InOrderStreams { get; }

    /// <summary>Whose callback signals a gpuos completion armed on the backend's streams.</summary>
    static abstract CompletionVendor CompletionVendor { get; }

    /// <summary>Initializes the API (cuInit, hipInit) and returns its raw result: made once a process, the result
    /// kept.</summary>
    static abstract int Initialize();

    /// <summary>
    /// Null when the API, whose initialization returned <paramref name="init"/>, can run, with the driver's version and
    /// the number of devices; otherwise why not (no device, a driver too old).
    /// </summary>
    static abstract string? WhyUnusable(int init, out int version, out int devices);

    /// <summary>The device at <paramref name="index"/>.</summary>
    static abstract DeviceInfo Describe(int index, int version);

    /// <summary>Opens a context on <paramref name="device"/> whose host waits follow <paramref name="syncMode"/>: its
    /// handle, 0 where the device is the context (HIP).</summary>
    static abstract nint OpenContext(DeviceInfo device, SyncMode syncMode);

    /// <summary>Makes the context current on the calling thread; nothing where the device is the context
    /// (HIP).</summary>
    static abstract void MakeCurrent(nint context);

    /// <summary>Waits for all work of the current context (or device).</summary>
    static abstract void SynchronizeContext();

    /// <summary>Waits for the context's work before what it holds is released.</summary>
    static abstract void Drain(nint context);

    /// <summary>Releases the context, once what it held is released; nothing where the device is the context
    /// (HIP).</summary>
    static abstract void CloseContext(nint context);

    /// <summary>Loads a module from a code image (PTX text, a compiled code object).</summary>
    static abstract nint LoadModule(byte* image);

    /// <summary>The function named <paramref name="kernel"/> (<paramref name="name"/>, NUL-terminated) in a
    /// module.</summary>
    static abstract nint GetFunction(nint module, byte* name, string kernel);

    /// <summary>Unloads a module.</summary>
    static abstract void UnloadModule(nint module);

    /// <summary>Allocates memory: the address kernels use, and the host's (0 where the host has none).</summary>
    static abstract (ulong Device, nint Host) Allocate(long bytes, MemoryKind kind);

    /// <summary>Frees device or mapped memory.</summary>
    static abstract void Free(ulong device);

    /// <summary>Frees pinned host memory.</summary>
    static abstract void FreeHost(nint host);

    /// <summary>Creates a stream.</summary>
    static abstract nint CreateStream();

    /// <summary>Destroys a stream.</summary>
    static abstract void DestroyStream(nint stream);

    /// <summary>Launches <paramref name="function"/> with one pointer to each argument's value.</summary>
    static abstract void Launch(nint function, LaunchShape shape, nint stream, void** arguments);

    /// <summary>Copies pageable host memory to the device; returns when the source may be reused.</summary>
    static abstract void CopyToDevice(ulong destination, byte* source, nuint bytes, nint stream);

    /// <summary>Copies a pinned host buffer to a device buffer, asynchronously.</summary>
    static abstract void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource, nint stream);

    /// <summary>Copies device memory to pageable host memory; returns when the data is there.</summary>
    static abstract void CopyToHost(byte* destination, ulong source, nuint bytes, nint stream);

    /// <summary>Copies a device buffer to a pinned host buffer, asynchronously.</summary>
    static abstract void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source, nint stream);

    /// <summary>Waits for the stream's work.</summary>
    static abstract void SynchronizeStream(nint stream);

    /// <summary>Creates an event without timing (blocking-sync when <paramref name="blockingSync"/>) and records it on
    /// the stream.</summary>
    static abstract nint RecordEvent(nint stream, bool blockingSync);

    /// <summary>Makes the stream's later work wait for an event.</summary>
    static abstract void WaitEvent(nint stream, nint gpuEvent);

    /// <summary>True when the work before the event has finished (a query, never a wait).</summary>
    static abstract bool EventComplete(nint gpuEvent);

    /// <summary>Waits for an event.</summary>
    static abstract void SynchronizeEvent(nint gpuEvent);

    /// <summary>Destroys an event.</summary>
    static abstract void DestroyEvent(nint gpuEvent);
}
