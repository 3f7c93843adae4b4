namespace GpuOsSpec.Tracing.Baselines;

/// <summary>What a comparison concluded.</summary>
public enum BaselineVerdict
{
    /// <summary>Every figure the baseline holds was measured, and none grew past the tolerance.</summary>
    Passed,

    /// <summary>A figure grew past the tolerance.</summary>
    Failed,

    /// <summary>The run proves nothing against the baseline: events lost, a phase or the probes' calls missing, the
    /// command failed.</summary>
    Inconclusive,

    /// <summary>Not compared: another machine or driver, or a capture that cannot measure what the baseline
    /// holds.</summary>
    Refused,
}
