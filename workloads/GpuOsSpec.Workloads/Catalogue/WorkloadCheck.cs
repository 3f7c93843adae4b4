namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>A verification the workload made of its own results, so a broken kernel never passes as fast.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Detail">The evidence.</param>
public sealed record WorkloadCheck(string Name, bool Passed, string Detail);
