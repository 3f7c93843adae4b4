namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>The managed kernels a CPU "program" names.</summary>
internal sealed class CpuProgram(IReadOnlyDictionary<string, CpuKernel> kernels) : IGpuProgram
{
    public IGpuKernel Kernel(string name) => kernels.TryGetValue(name, out var k)
        ? k
        : throw new GpuBackendException($"cpu Kernel({name})", "no such kernel in the program", 0, $"it has {string.Join(", ", kernels.Keys)}");

    public void Dispose()
    {
    }
}
