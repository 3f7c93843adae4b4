namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>A cl_event from a marker, waited on the way the context's sync mode says.</summary>
internal sealed class OpenClEvent(nint handle, SyncMode mode) : IGpuEvent
{
    internal nint Handle => handle;

    public unsafe bool IsComplete
    {
        get
        {
            int status = 0;
            OpenClErrors.Check(Interop.OpenCl.clGetEventInfo(handle, Interop.OpenCl.EventCommandExecutionStatus, 4, &status, out _), "clGetEventInfo");
            if (status < 0)
            {
                throw new GpuBackendException("clGetEventInfo", $"command failed with {OpenClErrors.Name(status)}", status);
            }
            return status == 0;
        }
    }

    public unsafe void Synchronize()
    {
        switch (mode)
        {
            case SyncMode.Spin:
                while (!IsComplete)
                {
                }
                break;
            case SyncMode.Yield:
                while (!IsComplete)
                {
                    Thread.Yield();
                }
                break;
            default:
                nint e = handle;
                OpenClErrors.Check(Interop.OpenCl.clWaitForEvents(1, &e), "clWaitForEvents");
                break;
        }
    }

    public void Dispose() => Interop.OpenCl.clReleaseEvent(handle);
}
