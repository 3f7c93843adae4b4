using GpuOs;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>A CUstream (0: the legacy default stream).</summary>
internal sealed class CudaStream(CudaContext context, nint handle, bool owned) : IGpuStream, ICompletionArming
{
    internal nint Handle => handle;

    public CompletionVendor Vendor => CompletionVendor.Cuda;

    // The arm's stream write and event record are made in the context current on the arming thread: the stream's.
    public void Arm(Completion completion)
    {
        context.MakeCurrent();
        completion.Arm(handle);
    }

    public void AfterWait()
    {
    }

    public bool OutOfOrder => false;

    public unsafe void Launch(IGpuKernel kernel, LaunchShape shape, params ReadOnlySpan<KernelArgument> arguments)
    {
        var k = (CudaKernel)kernel;
        context.MakeCurrent();
        ulong* values = stackalloc ulong[arguments.Length];
        void** pointers = stackalloc void*[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i].Buffer is CudaBuffer b ? b.DevicePointer : arguments[i].Bits;
            pointers[i] = &values[i];
        }
        CudaErrors.Check(Interop.Cuda.cuLaunchKernel(k.Function, shape.Blocks, 1, 1, shape.ThreadsPerBlock, 1, 1, 0, handle, pointers, null), "cuLaunchKernel");
    }

    public unsafe void CopyToDevice(IGpuBuffer destination, ReadOnlySpan<byte> source)
    {
        fixed (byte* p = source)
        {
            CudaErrors.Check(Interop.Cuda.cuMemcpyHtoD_v2(((CudaBuffer)destination).DevicePointer, p, (nuint)source.Length), "cuMemcpyHtoD");
        }
    }

    public unsafe void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource)
    {
        var src = RequirePinned(pinnedSource);
        CudaErrors.Check(Interop.Cuda.cuMemcpyHtoDAsync_v2(((CudaBuffer)destination).DevicePointer, (void*)src.HostPointer, (nuint)Math.Min(src.Bytes, destination.Bytes), handle), "cuMemcpyHtoDAsync");
    }

    public unsafe void CopyToHost(Span<byte> destination, IGpuBuffer source)
    {
        fixed (byte* p = destination)
        {
            CudaErrors.Check(Interop.Cuda.cuMemcpyDtoH_v2(p, ((CudaBuffer)source).DevicePointer, (nuint)destination.Length), "cuMemcpyDtoH");
        }
    }

    public unsafe void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source)
    {
        var dst = RequirePinned(pinnedDestination);
        CudaErrors.Check(Interop.Cuda.cuMemcpyDtoHAsync_v2((void*)dst.HostPointer, ((CudaBuffer)source).DevicePointer, (nuint)Math.Min(dst.Bytes, source.Bytes), handle), "cuMemcpyDtoHAsync");
    }

    public unsafe void AccessHost(IGpuBuffer buffer, SpanAction access)
    {
        var b = (CudaBuffer)buffer;
        if (b.Kind == MemoryKind.Device)
        {
            throw new ArgumentException("Device memory has no host view; copy it, or allocate pinned or mapped memory.", nameof(buffer));
        }
        access(new Span<byte>((void*)b.HostPointer, checked((int)b.Bytes)));
    }

    public IGpuEvent Record()
    {
        uint flags = Interop.Cuda.EventDisableTiming | (context.SyncMode == SyncMode.Blocking ? Interop.Cuda.EventBlockingSync : 0);
        CudaErrors.Check(Interop.Cuda.cuEventCreate(out nint e, flags), "cuEventCreate");
        CudaErrors.Check(Interop.Cuda.cuEventRecord(e, handle), "cuEventRecord");
        return new CudaEvent(e);
    }

    public void Wait(IGpuEvent gpuEvent) =>
        CudaErrors.Check(Interop.Cuda.cuStreamWaitEvent(handle, ((CudaEvent)gpuEvent).Handle, 0), "cuStreamWaitEvent");

    public void Synchronize()
    {
        context.MakeCurrent();
        CudaErrors.Check(Interop.Cuda.cuStreamSynchronize(handle), "cuStreamSynchronize");
    }

    private static CudaBuffer RequirePinned(IGpuBuffer buffer) => buffer is CudaBuffer { Kind: MemoryKind.PinnedHost } b
        ? b
        : throw new ArgumentException("An asynchronous copy needs a pinned host buffer (MemoryKind.PinnedHost).", nameof(buffer));

    private int _disposed;

    // Idempotent: a spec may dispose a stream its fixture disposes again.
    public void Dispose()
    {
        if (owned && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Interop.Cuda.cuStreamDestroy_v2(handle);
        }
    }
}
