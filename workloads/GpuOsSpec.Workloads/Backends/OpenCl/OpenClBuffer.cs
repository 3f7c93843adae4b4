namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>A cl_mem: device memory, or CL_MEM_ALLOC_HOST_PTR memory for pinned and mapped use.</summary>
internal sealed class OpenClBuffer : IGpuBuffer
{
    private readonly OpenClContext _context;
    private bool _disposed;

    internal OpenClBuffer(OpenClContext context, long bytes, MemoryKind kind)
    {
        _context = context;
        Bytes = bytes;
        Kind = kind;
        ulong flags = Interop.OpenCl.MemReadWrite | (kind == MemoryKind.Device ? 0 : Interop.OpenCl.MemAllocHostPtr);
        Handle = Interop.OpenCl.clCreateBuffer(context.Handle, flags, (nuint)bytes, 0, out int error);
        OpenClErrors.Check(error, "clCreateBuffer");
    }

    public long Bytes { get; }

    public MemoryKind Kind { get; }

    internal nint Handle { get; }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Interop.OpenCl.clReleaseMemObject(Handle);
        }
    }
}
