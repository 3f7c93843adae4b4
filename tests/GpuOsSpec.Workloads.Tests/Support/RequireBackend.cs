using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Tests.Support;

/// <summary>Skips when a backend is absent, with its reason; fails instead when GPUOSSPEC_REQUIRE names it.</summary>
public static class RequireBackend
{
    /// <summary>"cpu", "opencl:1": a backend and, after a colon, one of its devices (0 when absent).</summary>
    public static (IGpuBackend Backend, int Device) Target(string target)
    {
        var parsed = BackendTarget.Parse(target);
        var backend = Named(parsed.Backend);
        var found = backend.Discover();
        Skip.If(parsed.Device >= found.Devices.Count, $"{parsed.Backend} has no device {parsed.Device} here");
        return (backend, parsed.Device);
    }

    /// <summary>Every backend name, and for opencl every device found (PoCL and a GPU's driver on the GPU
    /// runner).</summary>
    public static IEnumerable<string> AllTargets()
    {
        yield return "cpu";
        int openclDevices = Math.Max(1, BackendRegistry.Get("opencl").Discover().Devices.Count);
        for (int d = 0; d < openclDevices; d++)
        {
            yield return d == 0 ? "opencl" : $"opencl:{d}";
        }
        yield return "cuda";
        yield return "hip";
    }

    public static IGpuBackend Named(string name)
    {
        var backend = BackendRegistry.Get(name);
        var found = backend.Discover();
        if (found.Available)
        {
            return backend;
        }
        if (GpuOsSpec.Workloads.Requirements.RequiredItems.Current.Contains(name))
        {
            throw new InvalidOperationException($"{GpuOsSpec.Workloads.Requirements.RequiredItems.Variable} names {name}, but it is unavailable: {found.Reason}");
        }
        Skip.If(true, $"{name} is unavailable: {found.Reason}");
        return backend;
    }
}
