using GpuOs;

namespace GpuOsSpec.Workloads.Backends.DriverApi;

/// <summary>A stream of a driver-API backend (0: CUDA's legacy default stream, HIP's null stream).</summary>
internal sealed class DriverStream<TApi>(DriverContext<TApi> context, nint handle, bool owned) : IGpuStream, ICompletionArming
    where TApi : struct, IDriverApi
{
    private int _disposed;

    internal nint Handle => handle;

    public CompletionVendor Vendor => TApi.CompletionVendor;

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
        var k = (DriverKernel<TApi>)kernel;
        context.MakeCurrent();
        ulong* values = stackalloc ulong[arguments.Length];
        void** pointers = stackalloc void*[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i].Buffer is DriverBuffer<TApi> b ? b.DevicePointer : arguments[i].Bits;
            pointers[i] = &values[i];
        }
        TApi.Launch(k.Function, shape, handle, pointers);
    }

    public unsafe void CopyToDevice(IGpuBuffer destination, ReadOnlySpan<byte> source)
    {
        fixed (byte* p = source)
        {
            TApi.CopyToDevice(((DriverBuffer<TApi>)destination).DevicePointer, p, (nuint)source.Length, handle);
        }
    }

    public void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource) => TApi.CopyToDevice(destination, pinnedSource, handle);

    public unsafe void CopyToHost(Span<byte> destination, IGpuBuffer source)
    {
        fixed (byte* p = destination)
        {
            TApi.CopyToHost(p, ((DriverBuffer<TApi>)source).DevicePointer, (nuint)destination.Length, handle);
        }
    }

    public void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source) => TApi.CopyToHost(pinnedDestination, source, handle);

    public unsafe void AccessHost(IGpuBuffer buffer, SpanAction access)
    {
        var b = (DriverBuffer<TApi>)buffer;
        if (b.Kind == MemoryKind.Device)
        {
            throw new ArgumentException("Device memory has no host view; copy it, or allocate pinned or mapped memory.", nameof(buffer));
        }
        access(new Span<byte>((void*)b.HostPointer, checked((int)b.Bytes)));
    }

    public IGpuEvent Record() => new DriverEvent<TApi>(TApi.RecordEvent(handle, context.SyncMode == SyncMode.Blocking));

    public void Wait(IGpuEvent gpuEvent) => TApi.WaitEvent(handle, ((DriverEvent<TApi>)gpuEvent).Handle);

    public void Synchronize()
    {
        context.MakeCurrent();
        TApi.SynchronizeStream(handle);
    }

    // Idempotent: a spec may dispose a stream its fixture disposes again.
    public void Dispose()
    {
        if (owned && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            TApi.DestroyStream(handle);
        }
    }
}
