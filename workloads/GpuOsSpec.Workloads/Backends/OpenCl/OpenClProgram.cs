using System.Text;

namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>A built cl_program and its kernels.</summary>
internal sealed class OpenClProgram(nint program) : IGpuProgram
{
    private readonly Dictionary<string, OpenClKernel> _kernels = [];

    public unsafe IGpuKernel Kernel(string name)
    {
        if (_kernels.TryGetValue(name, out var k))
        {
            return k;
        }
        byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            nint kernel = Interop.OpenCl.clCreateKernel(program, p, out int error);
            OpenClErrors.Check(error, $"clCreateKernel({name})");
            return _kernels[name] = new OpenClKernel(name, kernel);
        }
    }

    public void Dispose()
    {
        foreach (var k in _kernels.Values)
        {
            Interop.OpenCl.clReleaseKernel(k.Handle);
        }
        Interop.OpenCl.clReleaseProgram(program);
    }
}
