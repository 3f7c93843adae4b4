using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>A CUevent; blocking-sync contexts make blocking-sync events.</summary>
internal sealed class CudaEvent(nint handle) : IGpuEvent
{
    internal nint Handle => handle;

    public bool IsComplete
    {
        get
        {
            var r = Interop.Cuda.cuEventQuery(handle);
            if (r == CuResult.NotReady)
            {
                return false;
            }
            CudaErrors.Check(r, "cuEventQuery");
            return true;
        }
    }

    public void Synchronize() => CudaErrors.Check(Interop.Cuda.cuEventSynchronize(handle), "cuEventSynchronize");

    public void Dispose() => Interop.Cuda.cuEventDestroy_v2(handle);
}
