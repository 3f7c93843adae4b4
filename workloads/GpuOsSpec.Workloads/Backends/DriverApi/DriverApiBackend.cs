namespace GpuOsSpec.Workloads.Backends.DriverApi;

/// <summary>
/// Discovery for a driver-API backend: its libraries load, the API initializes (once a process), the driver can run,
/// and each device is described. Never throws: an unusable backend says why.
/// </summary>
internal static class DriverApiBackend<TApi> where TApi : struct, IDriverApi
{
    private static readonly object s_initGate = new();
    private static int? s_init;

    internal static BackendAvailability Discover()
    {
        foreach (var (library, fix) in TApi.Libraries)
        {
            if (NativeLibraryProbe.Missing(library, fix) is { } missing)
            {
                return BackendAvailability.Missing(TApi.Name, missing);
            }
        }
        try
        {
            if (TApi.WhyUnusable(Initialize(), out int version, out int count) is { } reason)
            {
                return BackendAvailability.Missing(TApi.Name, reason);
            }
            var devices = Enumerable.Range(0, count).Select(i => TApi.Describe(i, version)).ToList();
            return new BackendAvailability(TApi.Name, true, null, devices);
        }
        catch (GpuBackendException ex)
        {
            return BackendAvailability.Missing(TApi.Name, ex.Message);
        }
    }

    /// <summary>The device <paramref name="options"/> names, from a fresh discovery.</summary>
    /// <exception cref="InvalidOperationException">When the backend is unavailable; the message gives the
    /// reason.</exception>
    /// <exception cref="ArgumentException">When there is no such device.</exception>
    internal static DeviceInfo Device(ContextOptions options)
    {
        var availability = Discover();
        if (!availability.Available)
        {
            throw new InvalidOperationException($"The {TApi.Name} backend is unavailable: {availability.Reason}.");
        }
        if (options.DeviceIndex < 0 || options.DeviceIndex >= availability.Devices.Count)
        {
            throw new ArgumentException($"{TApi.Name} has {availability.Devices.Count} device(s); device {options.DeviceIndex} does not exist.", nameof(options));
        }
        return availability.Devices[options.DeviceIndex];
    }

    private static int Initialize()
    {
        lock (s_initGate)
        {
            s_init ??= TApi.Initialize();
            return s_init.Value;
        }
    }
}
