namespace GpuOsSpec.Workloads.Backends;

/// <summary>
/// The vendor stack behind a backend's device: cuda, hip, cpu, opencl-pocl, opencl-nvidia, opencl-amd, opencl-intel or
/// opencl-other. Each OpenCL driver is a vendor of its own.
/// </summary>
public static class VendorKey
{
    /// <summary>The vendor key of a device of <paramref name="backend"/> named <paramref name="deviceName"/>.</summary>
    public static string Of(string backend, string deviceName) => backend switch
    {
        "opencl" when deviceName.Contains("Portable Computing Language", StringComparison.Ordinal) => "opencl-pocl",
        "opencl" when deviceName.Contains("NVIDIA", StringComparison.OrdinalIgnoreCase) => "opencl-nvidia",
        "opencl" when deviceName.Contains("AMD", StringComparison.OrdinalIgnoreCase) => "opencl-amd",
        "opencl" when deviceName.Contains("Intel", StringComparison.OrdinalIgnoreCase) => "opencl-intel",
        "opencl" => "opencl-other",
        _ => backend,
    };
}
