namespace GpuOsSpec.Fixtures;

/// <summary>The backend targets a spec runs on.</summary>
public static class BackendTargets
{
    /// <summary>Every target worth a spec case: each backend's first device, and every further OpenCL device (one per
    /// vendor driver).</summary>
    public static IEnumerable<string> Expand(IEnumerable<string> backends)
    {
        foreach (string name in backends)
        {
            yield return name;
            if (name == "opencl")
            {
                int devices = RuntimeThreads.Observe(() => BackendRegistry.Get(name).Discover()).Devices.Count;
                for (int d = 1; d < devices; d++)
                {
                    yield return $"opencl:{d}";
                }
            }
        }
    }

}
