namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>A hipEvent_t.</summary>
internal sealed class HipEvent(nint handle) : IGpuEvent
{
    internal nint Handle => handle;

    public bool IsComplete
    {
        get
        {
            int r = Interop.Hip.hipEventQuery(handle);
            if (r == Interop.Hip.NotReady)
            {
                return false;
            }
            HipErrors.Check(r, "hipEventQuery");
            return true;
        }
    }

    public void Synchronize() => HipErrors.Check(Interop.Hip.hipEventSynchronize(handle), "hipEventSynchronize");

    public void Dispose() => Interop.Hip.hipEventDestroy(handle);
}
