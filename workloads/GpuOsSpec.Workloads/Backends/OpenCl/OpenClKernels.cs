namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>
/// The standard kernels in OpenCL C. OpenCL C has no portable clock, so busywait spins a counted loop whose rate the
/// context calibrates on the device at creation.
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
            volatile ulong x = 0;
            for (ulong i = 0; i < iterations; i++) x += i;
        }

        __kernel void touch(__global uint* buffer, uint n)
        {
            uint i = get_global_id(0);
            if (i < n) buffer[i] = i;
        }
        """);
}
