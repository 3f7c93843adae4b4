using System.Diagnostics;

namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>The standard kernels as managed code. The "source" of a CPU program lists the kernels it takes.</summary>
internal static unsafe class CpuKernels
{
    internal static KernelSource Source { get; } = new("managed", "empty vadd busywait touch");

    internal static CpuKernel? Find(string name) => name switch
    {
        "empty" => new CpuKernel(name, static (_, _) => { }),
        "vadd" => new CpuKernel(name, VectorAdd),
        "busywait" => new CpuKernel(name, BusyWait),
        "touch" => new CpuKernel(name, Touch),
        _ => null,
    };

    private static void VectorAdd(ReadOnlySpan<KernelArgument> a, long threads)
    {
        float* x = (float*)Pointer(a[0]), y = (float*)Pointer(a[1]), z = (float*)Pointer(a[2]);
        uint n = (uint)a[3].Bits;
        for (uint i = 0; i < n && i < threads; i++)
        {
            z[i] = x[i] + y[i];
        }
    }

    private static void BusyWait(ReadOnlySpan<KernelArgument> a, long threads)
    {
        long until = Stopwatch.GetTimestamp() + (long)(a[0].Bits * (Stopwatch.Frequency / 1e9));
        while (Stopwatch.GetTimestamp() < until)
        {
        }
    }

    private static void Touch(ReadOnlySpan<KernelArgument> a, long threads)
    {
        uint* p = (uint*)Pointer(a[0]);
        uint n = (uint)a[1].Bits;
        for (uint i = 0; i < n && i < threads; i++)
        {
            p[i] = i;
        }
    }

    private static nint Pointer(in KernelArgument a) => a.Buffer is CpuBuffer b
        ? b.Pointer
        : throw new GpuBackendException("cpu kernel launch", "expected a buffer argument", 0);
}
