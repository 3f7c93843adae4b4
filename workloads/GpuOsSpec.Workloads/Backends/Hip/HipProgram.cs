using System.Text;

namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>A loaded HIP module.</summary>
internal sealed class HipProgram(nint module) : IGpuProgram
{
    private readonly Dictionary<string, HipKernel> _kernels = [];

    public unsafe IGpuKernel Kernel(string name)
    {
        if (_kernels.TryGetValue(name, out var k))
        {
            return k;
        }
        byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            HipErrors.Check(Interop.Hip.hipModuleGetFunction(out nint function, module, p), $"hipModuleGetFunction({name})");
            return _kernels[name] = new HipKernel(name, function);
        }
    }

    public void Dispose() => Interop.Hip.hipModuleUnload(module);
}
