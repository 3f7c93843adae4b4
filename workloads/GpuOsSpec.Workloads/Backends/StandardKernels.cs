namespace GpuOsSpec.Workloads.Backends;

/// <summary>The kernels every workload uses, built from each backend's own source.</summary>
/// <param name="Program">The program they came from.</param>
/// <param name="Empty">empty(): does nothing.</param>
/// <param name="VectorAdd">vadd(a, b, c, n): c[i] = a[i] + b[i] for floats.</param>
/// <param name="BusyWait">busywait(x): spins for a time given by <see cref="IGpuContext.BusyWaitArgument"/>.</param>
/// <param name="Touch">touch(buffer, n): writes i into 32-bit word i.</param>
public sealed record StandardKernels(IGpuProgram Program, IGpuKernel Empty, IGpuKernel VectorAdd, IGpuKernel BusyWait, IGpuKernel Touch)
{
    /// <summary>Builds the four kernels from <paramref name="source"/>.</summary>
    public static StandardKernels Build(IGpuContext context, KernelSource source)
    {
        var program = context.Build(source);
        return new StandardKernels(program, program.Kernel("empty"), program.Kernel("vadd"), program.Kernel("busywait"), program.Kernel("touch"));
    }
}
