using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Tests.Support;

/// <summary>Skips when a backend is absent, with its reason; fails instead when GPUOSSPEC_REQUIRE names it.</summary>
public static class RequireBackend
{
    public static IGpuBackend Named(string name)
    {
        var backend = BackendRegistry.Get(name);
        var found = backend.Discover();
        if (found.Available)
        {
            return backend;
        }
        var required = (Environment.GetEnvironmentVariable("GPUOSSPEC_REQUIRE") ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (required.Contains(name))
        {
            throw new InvalidOperationException($"GPUOSSPEC_REQUIRE names {name}, but it is unavailable: {found.Reason}");
        }
        Skip.If(true, $"{name} is unavailable: {found.Reason}");
        return backend;
    }
}
