namespace GpuOsSpec.Tracing.Model;

/// <summary>Whole-capture total for one syscall name.</summary>
/// <param name="Name">Syscall name.</param>
/// <param name="Role">Its role (for ioctl: <see cref="SyscallRole.Other"/>; see the ioctl totals for the
/// split).</param>
/// <param name="Count">Number of calls (exact).</param>
/// <param name="Errors">Failed calls, or null when
/// the source counted the calls without their results.</param>
/// <param name="KernelNs">Nanoseconds spent inside the
/// calls, or null when not measured.</param>
/// <param name="PerEvent">True when every call was recorded as an event;
/// false when only counted in the kernel.</param>
public sealed record SyscallTotal(string Name, SyscallRole Role, long Count, long? Errors, long? KernelNs, bool PerEvent);
