namespace GpuOsSpec.Workloads.Backends.DriverApi;

/// <summary>An event of a driver-API backend; blocking-sync contexts make blocking-sync events.</summary>
internal sealed class DriverEvent<TApi>(nint handle) : IGpuEvent where TApi : struct, IDriverApi
{
    internal nint Handle => handle;

    public bool IsComplete => TApi.EventComplete(handle);

    public void Synchronize() => TApi.SynchronizeEvent(handle);

    public void Dispose() => TApi.DestroyEvent(handle);
}
