namespace GpuOsSpec.Tracing.Model;

/// <summary>Calls of one decoded ioctl on one device.</summary>
/// <param name="Device">The device path (or "fd N" when it could not be resolved).</param>
/// <param name="Name">The ioctl's name, or its raw fields when unknown.</param>
/// <param name="Role">The ioctl's role.</param>
/// <param name="Count">Number of calls.</param>
/// <param name="Errors">Failed calls.</param>
/// <param name="Known">False when the request number is not in any decoding table.</param>
public sealed record IoctlTotal(string Device, string Name, SyscallRole Role, long Count, long Errors, bool Known);
