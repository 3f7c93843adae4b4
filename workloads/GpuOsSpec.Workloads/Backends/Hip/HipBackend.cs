using System.Text;

namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>HIP (libamdhip64.so) with hiprtc kernels; device flags set the sync mode. Built and unit-tested; no AMD GPU has run it here.</summary>
public sealed class HipBackend : IGpuBackend
{
    private static readonly object s_initGate = new();
    private static int? s_init;

    /// <inheritdoc/>
    public string Name => "hip";

    /// <inheritdoc/>
    public BackendAvailability Discover()
    {
        if (NativeLibraryProbe.Missing(Interop.Hip.LibraryName, "install ROCm's HIP runtime") is { } missingHip)
        {
            return BackendAvailability.Missing(Name, missingHip);
        }
        if (NativeLibraryProbe.Missing(Interop.HipRtc.LibraryName, "install ROCm's hiprtc") is { } missingRtc)
        {
            return BackendAvailability.Missing(Name, missingRtc);
        }
        try
        {
            int init = Initialize();
            if (init == 100)
            {
                return BackendAvailability.Missing(Name, "no device: hipInit reports hipErrorNoDevice");
            }
            HipErrors.Check(init, "hipInit");
            HipErrors.Check(Interop.Hip.hipDriverGetVersion(out int version), "hipDriverGetVersion");
            HipErrors.Check(Interop.Hip.hipGetDeviceCount(out int count), "hipGetDeviceCount");
            if (count == 0)
            {
                return BackendAvailability.Missing(Name, "no device: hipGetDeviceCount returned 0");
            }
            var devices = Enumerable.Range(0, count).Select(i => Describe(i, version)).ToList();
            return new BackendAvailability(Name, true, null, devices);
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
            throw new InvalidOperationException($"The hip backend is unavailable: {availability.Reason}.");
        }
        if (options.DeviceIndex < 0 || options.DeviceIndex >= availability.Devices.Count)
        {
            throw new ArgumentException($"hip has {availability.Devices.Count} device(s); device {options.DeviceIndex} does not exist.", nameof(options));
        }
        return new HipContext(availability.Devices[options.DeviceIndex], options.SyncMode);
    }

    private static int Initialize()
    {
        lock (s_initGate)
        {
            s_init ??= Interop.Hip.hipInit(0);
            HipErrors.RuntimeLoaded = true;
            return s_init.Value;
        }
    }

    private static unsafe DeviceInfo Describe(int index, int version)
    {
        byte* name = stackalloc byte[256];
        HipErrors.Check(Interop.Hip.hipDeviceGetName(name, 256, index), "hipDeviceGetName");
        return new DeviceInfo(index, Encoding.UTF8.GetString(new ReadOnlySpan<byte>(name, 256)).TrimEnd('\0'), 0, $"HIP runtime {version}");
    }
}
