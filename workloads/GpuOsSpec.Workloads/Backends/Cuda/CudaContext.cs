using System.Text;
using GpuOsSpec.Workloads.Backends.DriverApi;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>A CUDA context whose scheduling flag is the sync mode; it builds PTX and captures graphs.</summary>
internal sealed class CudaContext(DeviceInfo device, SyncMode syncMode) : DriverContext<CudaApi>(device, syncMode), IGraphCapture
{
    public override KernelArgument BusyWaitArgument(TimeSpan duration) => KernelArgument.Of((ulong)duration.Ticks * 100);

    public IGpuGraph Capture(IGpuStream stream, Action<IGpuStream> record)
    {
        var cuda = (DriverStream<CudaApi>)stream;
        if (cuda.Handle == 0)
        {
            throw new ArgumentException("CUDA cannot capture the legacy default stream; capture a stream from CreateStream().", nameof(stream));
        }
        MakeCurrent();
        CudaErrors.Check(Interop.Cuda.cuStreamBeginCapture_v2(cuda.Handle, Interop.Cuda.StreamCaptureModeThreadLocal), "cuStreamBeginCapture");
        nint graph;
        try
        {
            record(stream);
        }
        finally
        {
            // End the capture even when recording failed, or the stream stays unusable.
            CudaErrors.Check(Interop.Cuda.cuStreamEndCapture(cuda.Handle, out graph), "cuStreamEndCapture");
        }
        CudaErrors.Check(Interop.Cuda.cuGraphInstantiateWithFlags(out nint exec, graph, 0), "cuGraphInstantiateWithFlags");
        return Own(new CudaGraph(graph, exec));
    }

    protected override byte[] ModuleImage(KernelSource source)
    {
        if (source.Language != "ptx")
        {
            throw new ArgumentException($"The cuda backend builds PTX, not {source.Language}.", nameof(source));
        }
        return Encoding.ASCII.GetBytes(source.Text + "\0");
    }
}
