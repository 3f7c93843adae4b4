using System.Text;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>The CUDA driver API (libcuda.so.1): PTX kernels, context sync flags, streams, events, pinned and managed memory, graphs.</summary>
public sealed class CudaBackend : IGpuBackend
{
    /// <summary>The oldest driver this backend runs on: 11.4, for cuGraphInstantiateWithFlags.</summary>
    public const int MinimumDriverVersion = 11040;

    private static readonly object s_initGate = new();
    private static CuResult? s_init;

    /// <inheritdoc/>
    public string Name => "cuda";

    /// <inheritdoc/>
    public BackendAvailability Discover()
    {
        if (NativeLibraryProbe.Missing(Interop.Cuda.LibraryName, "install the NVIDIA driver") is { } missing)
        {
            return BackendAvailability.Missing(Name, missing);
        }
        try
        {
            var init = Initialize();
            if (init == CuResult.NoDevice)
            {
                return BackendAvailability.Missing(Name, "no device: cuInit reports CUDA_ERROR_NO_DEVICE");
            }
            CudaErrors.Check(init, "cuInit");
            CudaErrors.Check(Interop.Cuda.cuDriverGetVersion(out int version), "cuDriverGetVersion");
            if (version < MinimumDriverVersion)
            {
                return BackendAvailability.Missing(Name, $"driver too old: CUDA {Format(version)}, GpuOsSpec needs {Format(MinimumDriverVersion)} or later");
            }
            CudaErrors.Check(Interop.Cuda.cuDeviceGetCount(out int count), "cuDeviceGetCount");
            if (count == 0)
            {
                return BackendAvailability.Missing(Name, "no device: cuDeviceGetCount returned 0");
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
            throw new InvalidOperationException($"The cuda backend is unavailable: {availability.Reason}.");
        }
        if (options.DeviceIndex < 0 || options.DeviceIndex >= availability.Devices.Count)
        {
            throw new ArgumentException($"cuda has {availability.Devices.Count} device(s); device {options.DeviceIndex} does not exist.", nameof(options));
        }
        return new CudaContext(availability.Devices[options.DeviceIndex], options.SyncMode);
    }

    internal static CuResult Initialize()
    {
        lock (s_initGate)
        {
            s_init ??= Interop.Cuda.cuInit(0);
            CudaErrors.DriverLoaded = true;
            return s_init.Value;
        }
    }

    private static unsafe DeviceInfo Describe(int index, int version)
    {
        CudaErrors.Check(Interop.Cuda.cuDeviceGet(out int device, index), "cuDeviceGet");
        byte* name = stackalloc byte[256];
        CudaErrors.Check(Interop.Cuda.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
        CudaErrors.Check(Interop.Cuda.cuDeviceTotalMem_v2(out nuint bytes, device), "cuDeviceTotalMem");
        return new DeviceInfo(index, Encoding.UTF8.GetString(new ReadOnlySpan<byte>(name, 256)).TrimEnd('\0'), (long)bytes, $"CUDA driver {Format(version)}");
    }

    private static string Format(int version) => $"{version / 1000}.{version % 1000 / 10}";
}
