namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>What a workload run did: phases with timings and operation counts, its checks, and how it ended.</summary>
public sealed record WorkloadResult
{
    /// <summary>The workload.</summary>
    public required string Workload { get; init; }

    /// <summary>The backend.</summary>
    public required string Backend { get; init; }

    /// <summary>Native, or through gpuos.</summary>
    public ExecutionPath Execution { get; init; }

    /// <summary>The device, when a context was created.</summary>
    public string? Device { get; init; }

    /// <summary>The settings it ran with.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>The phases in the order they ended.</summary>
    public required IReadOnlyList<PhaseResult> Phases { get; init; }

    /// <summary>Its self-checks.</summary>
    public required IReadOnlyList<WorkloadCheck> Checks { get; init; }

    /// <summary>The error that stopped it, or null.</summary>
    public string? Error { get; init; }

    /// <summary>The phase the error happened in.</summary>
    public string? FailedPhase { get; init; }

    /// <summary>Why the backend cannot run this workload (e.g. graphs outside CUDA), or null.</summary>
    public string? NotSupported { get; init; }

    /// <summary>True when it ran to the end and every check passed.</summary>
    public bool Succeeded => Error is null && NotSupported is null && Checks.All(c => c.Passed);
}
