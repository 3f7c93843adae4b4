namespace GpuOsSpec.Tracing.Baselines;

/// <summary>Which figures a comparison holds to the baseline.</summary>
public enum BaselineScope
{
    /// <summary>The phases when the baseline has any, else the whole run.</summary>
    Auto,

    /// <summary>Per phase path only: the steady parts of a program, where a CI gate is stable.</summary>
    Phases,

    /// <summary>The whole run only (start-up and library loading included, so noisier).</summary>
    Whole,

    /// <summary>Both.</summary>
    All,
}
