using System.Text;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>A loaded CUDA module.</summary>
internal sealed class CudaProgram(nint module) : IGpuProgram
{
    private readonly Dictionary<string, CudaKernel> _kernels = [];

    public unsafe IGpuKernel Kernel(string name)
    {
        if (_kernels.TryGetValue(name, out var k))
        {
            return k;
        }
        byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            CudaErrors.Check(Interop.Cuda.cuModuleGetFunction(out nint function, module, p), $"cuModuleGetFunction({name})");
            return _kernels[name] = new CudaKernel(name, function);
        }
    }

    public void Dispose() => Interop.Cuda.cuModuleUnload(module);
}
