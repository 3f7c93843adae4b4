namespace GpuOsSpec.Workloads.Backends;

/// <summary>Kernel source text in a backend's language: "ptx", "opencl-c", "hip" or "managed".</summary>
/// <param name="Language">The language.</param>
/// <param name="Text">The source.</param>
public sealed record KernelSource(string Language, string Text);
