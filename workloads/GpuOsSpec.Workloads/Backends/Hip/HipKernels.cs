namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>The standard kernels as HIP source, compiled by hiprtc. busywait spins on clock64() for a cycle
/// count.</summary>
internal static class HipKernels
{
    internal static KernelSource Source { get; } = new("hip", """
        extern "C" __global__ void empty() { }

        extern "C" __global__ void vadd(const float* a, const float* b, float* c, unsigned int n)
        {
            unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) c[i] = a[i] + b[i];
        }

        extern "C" __global__ void busywait(unsigned long long cycles)
        {
            long long start = clock64();
            while ((unsigned long long)(clock64() - start) < cycles) { }
        }

        extern "C" __global__ void touch(unsigned int* buffer, unsigned int n)
        {
            unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) buffer[i] = i;
        }
        """);
}
