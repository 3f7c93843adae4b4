using System.Text;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>OpenCL through the ICD loader: every device of every platform (PoCL on CPU, NVIDIA, AMD, Intel).</summary>
public sealed class OpenClBackend : IGpuBackend
{
    /// <inheritdoc/>
    public string Name => "opencl";

    /// <inheritdoc/>
    public BackendAvailability Discover()
    {
        if (NativeLibraryProbe.Missing(Interop.OpenCl.LibraryName, "apt-get install ocl-icd-libopencl1 and a driver, e.g. pocl-opencl-icd") is { } missing)
        {
            return BackendAvailability.Missing(Name, missing);
        }
        try
        {
            var devices = Devices().Select((d, i) => d.Info with { Index = i }).ToList();
            return devices.Count == 0
                ? BackendAvailability.Missing(Name, "no device: the OpenCL ICD loader found no platform with a device (install a driver, e.g. pocl-opencl-icd, or register one in /etc/OpenCL/vendors)")
                : new BackendAvailability(Name, true, null, devices);
        }
        catch (GpuBackendException ex)
        {
            return BackendAvailability.Missing(Name, ex.Message);
        }
    }

    /// <inheritdoc/>
    public IGpuContext CreateContext(ContextOptions options)
    {
        var availability = Discover();
        if (!availability.Available)
        {
            throw new InvalidOperationException($"The opencl backend is unavailable: {availability.Reason}.");
        }
        var devices = Devices();
        if (options.DeviceIndex < 0 || options.DeviceIndex >= devices.Count)
        {
            throw new ArgumentException($"opencl has {devices.Count} device(s); device {options.DeviceIndex} does not exist.", nameof(options));
        }
        var (handle, info) = devices[options.DeviceIndex];
        return new OpenClContext(handle, info with { Index = options.DeviceIndex }, options.SyncMode);
    }

    internal static unsafe List<(nint Handle, DeviceInfo Info)> Devices()
    {
        var result = new List<(nint, DeviceInfo)>();
        int rc = Interop.OpenCl.clGetPlatformIDs(0, null, out uint platformCount);
        if (rc == -1001 || platformCount == 0)
        {
            return result;
        }
        OpenClErrors.Check(rc, "clGetPlatformIDs");
        var platforms = new nint[platformCount];
        fixed (nint* p = platforms)
        {
            OpenClErrors.Check(Interop.OpenCl.clGetPlatformIDs(platformCount, p, out _), "clGetPlatformIDs");
        }
        foreach (nint platform in platforms)
        {
            string platformName = PlatformString(platform, Interop.OpenCl.PlatformName);
            string version = PlatformString(platform, Interop.OpenCl.PlatformVersion);
            rc = Interop.OpenCl.clGetDeviceIDs(platform, Interop.OpenCl.DeviceTypeAll, 0, null, out uint deviceCount);
            if (rc == -1 || deviceCount == 0)
            {
                continue;
            }
            OpenClErrors.Check(rc, "clGetDeviceIDs");
            var devices = new nint[deviceCount];
            fixed (nint* d = devices)
            {
                OpenClErrors.Check(Interop.OpenCl.clGetDeviceIDs(platform, Interop.OpenCl.DeviceTypeAll, deviceCount, d, out _), "clGetDeviceIDs");
            }
            foreach (nint device in devices)
            {
                ulong memory = 0;
                Interop.OpenCl.clGetDeviceInfo(device, Interop.OpenCl.DeviceGlobalMemSize, 8, &memory, out _);
                string name = DeviceString(device, Interop.OpenCl.DeviceName);
                result.Add((device, new DeviceInfo(result.Count, $"{name} ({platformName})", (long)memory, version)));
            }
        }
        return result;
    }

    private static unsafe string PlatformString(nint platform, uint what)
    {
        byte* buffer = stackalloc byte[512];
        return Interop.OpenCl.clGetPlatformInfo(platform, what, 512, buffer, out nuint size) == 0
            ? Encoding.UTF8.GetString(buffer, (int)Math.Max(0, (long)size - 1)).Trim()
            : "?";
    }

    internal static unsafe string DeviceString(nint device, uint what)
    {
        byte* buffer = stackalloc byte[512];
        return Interop.OpenCl.clGetDeviceInfo(device, what, 512, buffer, out nuint size) == 0
            ? Encoding.UTF8.GetString(buffer, (int)Math.Max(0, (long)size - 1)).Trim()
            : "?";
    }
}
