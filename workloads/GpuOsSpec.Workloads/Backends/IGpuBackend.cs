namespace GpuOsSpec.Workloads.Backends;

/// <summary>A GPU API bound directly: discovery and contexts.</summary>
public interface IGpuBackend
{
    /// <summary>cuda, opencl, hip or cpu.</summary>
    string Name { get; }

    /// <summary>Finds the library and devices; never throws: an unusable backend says why.</summary>
    BackendAvailability Discover();

    /// <summary>Creates a context.</summary>
    /// <exception cref="GpuBackendException">When the runtime refuses.</exception>
    /// <exception cref="InvalidOperationException">When the backend is unavailable; the message gives the
    /// reason.</exception>
    IGpuContext CreateContext(ContextOptions options);
}
