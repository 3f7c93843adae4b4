namespace GpuOsSpec.Cases;

/// <summary>
/// Thrown by <see cref="Capture.GpuSpec.Skip"/>: the case cannot measure what it asserts about on this backend. A
/// <see cref="GpuOsSpec.Xunit.GpuTestCase"/> reports it as skipped with the reason, never as passed or failed.
/// </summary>
public sealed class SpecSkippedException(string reason) : Exception(reason);
