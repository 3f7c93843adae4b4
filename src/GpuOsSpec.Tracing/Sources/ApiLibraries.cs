namespace GpuOsSpec.Tracing.Sources;

/// <summary>The vendor libraries whose API calls can be probed.</summary>
[Flags]
public enum ApiLibraries
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>The CUDA driver API, libcuda.so.1.</summary>
    Cuda = 1,

    /// <summary>The OpenCL ICD loader, libOpenCL.so.1 (every OpenCL vendor's calls pass through it).</summary>
    OpenCl = 2,

    /// <summary>HIP, libamdhip64.so.</summary>
    Hip = 4,

    /// <summary>Every library present.</summary>
    All = Cuda | OpenCl | Hip,
}
