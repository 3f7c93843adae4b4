namespace GpuOsSpec.Workloads.Backends;

/// <summary>A stream (CUDA, HIP) or command queue (OpenCL, CPU): work submitted to it runs asynchronously.</summary>
public interface IGpuStream : IDisposable
{
    /// <summary>True for an out-of-order queue (OpenCL); streams are in order.</summary>
    bool OutOfOrder { get; }

    /// <summary>Submits a kernel.</summary>
    /// <remarks>
    /// The arguments are a span, so a call with inline arguments allocates no array: a launch costs nothing on the
    /// managed heap, and a launch storm sees no garbage collection. An implementation that queues the launch copies
    /// the arguments, without allocating either.
    /// </remarks>
    void Launch(IGpuKernel kernel, LaunchShape shape, params ReadOnlySpan<KernelArgument> arguments);

    /// <summary>Copies pageable host memory to a buffer; returns when the source may be reused.</summary>
    void CopyToDevice(IGpuBuffer destination, ReadOnlySpan<byte> source);

    /// <summary>Copies a pinned host buffer to a device buffer, asynchronously.</summary>
    void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource);

    /// <summary>Copies a buffer to pageable host memory; returns when the data is there.</summary>
    void CopyToHost(Span<byte> destination, IGpuBuffer source);

    /// <summary>Copies a device buffer to a pinned host buffer, asynchronously.</summary>
    void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source);

    /// <summary>Runs <paramref name="access"/> on the host view of a pinned or mapped buffer (mapping it where the API
    /// needs to).</summary>
    void AccessHost(IGpuBuffer buffer, SpanAction access);

    /// <summary>Records an event after the work submitted so far.</summary>
    IGpuEvent Record();

    /// <summary>Makes later work on this stream wait for <paramref name="gpuEvent"/>.</summary>
    void Wait(IGpuEvent gpuEvent);

    /// <summary>Waits for all submitted work, the way the context's sync mode says.</summary>
    void Synchronize();
}

/// <summary>Receives a host view of a buffer.</summary>
public delegate void SpanAction(Span<byte> bytes);
