using GpuOs;
namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>A cl_command_queue, in order or out of order.</summary>
internal sealed unsafe class OpenClQueue(OpenClContext context, nint queue, bool outOfOrder) : IGpuStream, ICompletionArming
{
    private bool _disposed;

    public CompletionVendor Vendor => CompletionVendor.OpenCl;

    public void Arm(Completion completion) => completion.Arm(queue);

    public void AfterWait()
    {
    }

    public bool OutOfOrder => outOfOrder;

    public unsafe void Launch(IGpuKernel kernel, LaunchShape shape, params ReadOnlySpan<KernelArgument> arguments)
    {
        var k = (OpenClKernel)kernel;
        for (uint i = 0; i < arguments.Length; i++)
        {
            var a = arguments[(int)i];
            if (a.Buffer is OpenClBuffer b)
            {
                nint mem = b.Handle;
                SetArgumentChecked(k, i, Interop.OpenCl.clSetKernelArg(k.Handle, i, (nuint)sizeof(nint), &mem));
            }
            else
            {
                ulong bits = a.Bits;
                SetArgumentChecked(k, i, Interop.OpenCl.clSetKernelArg(k.Handle, i, (nuint)a.Size, &bits));
            }
        }
        nuint global = (nuint)shape.Threads;
        nuint local = shape.ThreadsPerBlock;
        OpenClErrors.Check(Interop.OpenCl.clEnqueueNDRangeKernel(queue, k.Handle, 1, null, &global, &local, 0, null, null), "clEnqueueNDRangeKernel");
    }

    // The call's name is formatted only on failure: formatting it on every launch allocated a string per argument.
    private static void SetArgumentChecked(OpenClKernel kernel, uint index, int code)
    {
        if (code != 0)
        {
            OpenClErrors.Check(code, $"clSetKernelArg({kernel.Name}, {index})");
        }
    }

    public unsafe void CopyToDevice(IGpuBuffer destination, ReadOnlySpan<byte> source)
    {
        fixed (byte* p = source)
        {
            OpenClErrors.Check(Interop.OpenCl.clEnqueueWriteBuffer(queue, ((OpenClBuffer)destination).Handle, 1, 0, (nuint)source.Length, p, 0, null, null), "clEnqueueWriteBuffer");
        }
    }

    public void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource) =>
        WithMapped(pinnedSource, Interop.OpenCl.MapRead, p => OpenClErrors.Check(
            Interop.OpenCl.clEnqueueWriteBuffer(queue, ((OpenClBuffer)destination).Handle, 0, 0, (nuint)Math.Min(destination.Bytes, pinnedSource.Bytes), p, 0, null, null), "clEnqueueWriteBuffer"));

    public unsafe void CopyToHost(Span<byte> destination, IGpuBuffer source)
    {
        fixed (byte* p = destination)
        {
            OpenClErrors.Check(Interop.OpenCl.clEnqueueReadBuffer(queue, ((OpenClBuffer)source).Handle, 1, 0, (nuint)destination.Length, p, 0, null, null), "clEnqueueReadBuffer");
        }
    }

    public void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source) =>
        WithMapped(pinnedDestination, Interop.OpenCl.MapWrite, p => OpenClErrors.Check(
            Interop.OpenCl.clEnqueueReadBuffer(queue, ((OpenClBuffer)source).Handle, 0, 0, (nuint)Math.Min(source.Bytes, pinnedDestination.Bytes), p, 0, null, null), "clEnqueueReadBuffer"));

    public unsafe void AccessHost(IGpuBuffer buffer, SpanAction access)
    {
        if (buffer.Kind == MemoryKind.Device)
        {
            throw new ArgumentException("Device memory has no host view; copy it, or allocate pinned or mapped memory.", nameof(buffer));
        }
        WithMapped(buffer, Interop.OpenCl.MapRead | Interop.OpenCl.MapWrite, p => access(new Span<byte>(p, checked((int)buffer.Bytes))));
    }

    // Maps a host-backed buffer for the duration of an action. For the copies above the map lasts until the queue has
    // finished with the pointer: the unmap is enqueued after the copy, so in-order queues keep it valid.
    private unsafe void WithMapped(IGpuBuffer buffer, ulong flags, MappedAction action)
    {
        var b = (OpenClBuffer)buffer;
        nint mapped = Interop.OpenCl.clEnqueueMapBuffer(queue, b.Handle, 1, flags, 0, (nuint)b.Bytes, 0, null, null, out int error);
        OpenClErrors.Check(error, "clEnqueueMapBuffer");
        try
        {
            action((byte*)mapped);
        }
        finally
        {
            OpenClErrors.Check(Interop.OpenCl.clEnqueueUnmapMemObject(queue, b.Handle, mapped, 0, null, null), "clEnqueueUnmapMemObject");
        }
    }

    private unsafe delegate void MappedAction(byte* pointer);

    public unsafe IGpuEvent Record()
    {
        nint e;
        OpenClErrors.Check(Interop.OpenCl.clEnqueueMarkerWithWaitList(queue, 0, null, &e), "clEnqueueMarkerWithWaitList");
        return new OpenClEvent(e, context.SyncMode);
    }

    public unsafe void Wait(IGpuEvent gpuEvent)
    {
        nint e = ((OpenClEvent)gpuEvent).Handle;
        OpenClErrors.Check(Interop.OpenCl.clEnqueueBarrierWithWaitList(queue, 1, &e, null), "clEnqueueBarrierWithWaitList");
    }

    public void Synchronize()
    {
        if (context.SyncMode == SyncMode.Auto)
        {
            OpenClErrors.Check(Interop.OpenCl.clFinish(queue), "clFinish");
            return;
        }
        using var marker = Record();
        OpenClErrors.Check(Interop.OpenCl.clFlush(queue), "clFlush");
        marker.Synchronize();
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Interop.OpenCl.clFinish(queue);
            Interop.OpenCl.clReleaseCommandQueue(queue);
        }
    }
}
