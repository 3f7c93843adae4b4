using GpuOs;
namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>A hipStream_t (0: the null stream).</summary>
internal sealed class HipStream(HipContext context, nint handle, bool owned) : IGpuStream, ICompletionArming
{
    public CompletionVendor Vendor => CompletionVendor.Hip;

    public void Arm(Completion completion) => completion.Arm(handle);

    public void AfterWait()
    {
    }

    public bool OutOfOrder => false;

    public unsafe void Launch(IGpuKernel kernel, LaunchShape shape, params ReadOnlySpan<KernelArgument> arguments)
    {
        var k = (HipKernel)kernel;
        ulong* values = stackalloc ulong[arguments.Length];
        void** pointers = stackalloc void*[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i].Buffer is HipBuffer b ? (ulong)b.Pointer : arguments[i].Bits;
            pointers[i] = &values[i];
        }
        HipErrors.Check(Interop.Hip.hipModuleLaunchKernel(k.Function, shape.Blocks, 1, 1, shape.ThreadsPerBlock, 1, 1, 0, handle, pointers, null), "hipModuleLaunchKernel");
    }

    public unsafe void CopyToDevice(IGpuBuffer destination, ReadOnlySpan<byte> source)
    {
        fixed (byte* p = source)
        {
            HipErrors.Check(Interop.Hip.hipMemcpyAsync(((HipBuffer)destination).Pointer, (nint)p, (nuint)source.Length, Interop.Hip.MemcpyHostToDevice, handle), "hipMemcpyAsync");
            Synchronize();
        }
    }

    public void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource) =>
        HipErrors.Check(Interop.Hip.hipMemcpyAsync(((HipBuffer)destination).Pointer, ((HipBuffer)pinnedSource).Pointer, (nuint)Math.Min(destination.Bytes, pinnedSource.Bytes), Interop.Hip.MemcpyHostToDevice, handle), "hipMemcpyAsync");

    public unsafe void CopyToHost(Span<byte> destination, IGpuBuffer source)
    {
        fixed (byte* p = destination)
        {
            HipErrors.Check(Interop.Hip.hipMemcpyAsync((nint)p, ((HipBuffer)source).Pointer, (nuint)destination.Length, Interop.Hip.MemcpyDeviceToHost, handle), "hipMemcpyAsync");
            Synchronize();
        }
    }

    public void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source) =>
        HipErrors.Check(Interop.Hip.hipMemcpyAsync(((HipBuffer)pinnedDestination).Pointer, ((HipBuffer)source).Pointer, (nuint)Math.Min(source.Bytes, pinnedDestination.Bytes), Interop.Hip.MemcpyDeviceToHost, handle), "hipMemcpyAsync");

    public unsafe void AccessHost(IGpuBuffer buffer, SpanAction access)
    {
        var b = (HipBuffer)buffer;
        if (b.Kind == MemoryKind.Device)
        {
            throw new ArgumentException("Device memory has no host view; copy it, or allocate pinned or mapped memory.", nameof(buffer));
        }
        access(new Span<byte>((void*)b.Pointer, checked((int)b.Bytes)));
    }

    public IGpuEvent Record()
    {
        uint flags = Interop.Hip.EventDisableTiming | (context.SyncMode == SyncMode.Blocking ? Interop.Hip.EventBlockingSync : 0);
        HipErrors.Check(Interop.Hip.hipEventCreateWithFlags(out nint e, flags), "hipEventCreateWithFlags");
        HipErrors.Check(Interop.Hip.hipEventRecord(e, handle), "hipEventRecord");
        return new HipEvent(e);
    }

    public void Wait(IGpuEvent gpuEvent) =>
        HipErrors.Check(Interop.Hip.hipStreamWaitEvent(handle, ((HipEvent)gpuEvent).Handle, 0), "hipStreamWaitEvent");

    public void Synchronize() => HipErrors.Check(Interop.Hip.hipStreamSynchronize(handle), "hipStreamSynchronize");

    private int _disposed;

    // Idempotent: a spec may dispose a stream its fixture disposes again.
    public void Dispose()
    {
        if (owned && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Interop.Hip.hipStreamDestroy(handle);
        }
    }
}
