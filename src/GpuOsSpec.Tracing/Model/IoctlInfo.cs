namespace GpuOsSpec.Tracing.Model;

/// <summary>A decoded ioctl request on a device.</summary>
/// <param name="Device">The device path, or "fd N" when the fd
/// could not be resolved.</param>
/// <param name="Family">The driver interface.</param>
/// <param name="Code">The raw
/// request.</param>
/// <param name="Name">The request's name (NV_ESC_RM_ALLOC, UVM_MIGRATE, ...), or null when it is not
/// in the tables.</param>
/// <param name="Role">The role of the request.</param>
public sealed record IoctlInfo(string Device, DeviceFamily Family, IoctlCode Code, string? Name, SyscallRole Role)
{
    /// <summary>True when the request was named from the tables.</summary>
    public bool Known => Name is not null;

    /// <summary>The name, or for an unknown request "ioctl(/dev/x, _IOC(dir, type, nr, size))", never
    /// dropped.</summary>
    public string DisplayName => Name ?? $"ioctl({Device}, {Code.Describe()})";
}
