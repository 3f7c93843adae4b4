using GpuOsSpec.Workloads.Backends.DriverApi;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>A captured CUgraph and its executable instance.</summary>
internal sealed class CudaGraph(nint graph, nint exec) : IGpuGraph
{
    public void Launch(IGpuStream stream) =>
        CudaErrors.Check(Interop.Cuda.cuGraphLaunch(exec, ((DriverStream<CudaApi>)stream).Handle), "cuGraphLaunch");

    public void Dispose()
    {
        Interop.Cuda.cuGraphExecDestroy(exec);
        Interop.Cuda.cuGraphDestroy(graph);
    }
}
