using System.Text;

namespace GpuOsSpec.Workloads.Backends.DriverApi;

/// <summary>A loaded driver-API module; each kernel is looked up once.</summary>
internal sealed class DriverProgram<TApi>(nint module) : IGpuProgram where TApi : struct, IDriverApi
{
    private readonly Dictionary<string, DriverKernel<TApi>> _kernels = [];

    public unsafe IGpuKernel Kernel(string name)
    {
        if (_kernels.TryGetValue(name, out var k))
        {
            return k;
        }
        byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            return _kernels[name] = new DriverKernel<TApi>(name, TApi.GetFunction(module, p, name));
        }
    }

    public void Dispose() => TApi.UnloadModule(module);
}
