namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>
/// The standard kernels in OpenCL C. OpenCL C has no portable clock, so busywait spins a counted loop whose rate the
/// context calibrates on the device. The loop is a dependent LCG whose result guards a printf that never runs: a
/// volatile counter was optimised away by NVIDIA's compiler, turning 1 ms kernels into 10 us ones.
/// </summary>
internal static class OpenClKernels
{
    internal static KernelSource Source { get; } = new("opencl-c", """
        __kernel void empty(void) { }

        __kernel void vadd(__global const float* a, __global const float* b, __global float* c, uint n)
        {
            uint i = get_global_id(0);
            if (i < n) c[i] = a[i] + b[i];
        }

        __kernel void busywait(ulong iterations)
        {
            ulong x = get_global_id(0) + 1;
            for (ulong i = 0; i < iterations; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
            if (x == 42) printf("%lu", x);
        }

        __kernel void touch(__global uint* buffer, uint n)
        {
            uint i = get_global_id(0);
            if (i < n) buffer[i] = i;
        }
        """);
}
