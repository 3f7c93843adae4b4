using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>Native memory: "device", pinned and mapped are all host memory on the CPU backend.</summary>
internal sealed unsafe class CpuBuffer : IGpuBuffer
{
    private bool _disposed;

    internal CpuBuffer(long bytes, MemoryKind kind)
    {
        Bytes = bytes;
        Kind = kind;
        Pointer = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), 64);
        // Device and pinned memory of a GPU are resident from the start; fault the pages in now so that the CPU
        // stand-in does not take page faults a GPU runtime would not.
        NativeMemory.Clear((void*)Pointer, (nuint)Math.Max(bytes, 1));
    }

    public long Bytes { get; }

    public MemoryKind Kind { get; }

    internal nint Pointer { get; }

    internal Span<byte> Span => new((void*)Pointer, checked((int)Bytes));

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            NativeMemory.AlignedFree((void*)Pointer);
        }
    }
}
