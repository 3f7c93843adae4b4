namespace GpuOsSpec.Cli;

/// <summary>
/// Every exit code of every verb, in one place. The README's table is checked against <see cref="Table"/> by a test, so
/// the two cannot drift apart.
/// </summary>
public static class ExitCodes
{
    /// <summary>The verb did its job: a trace written, a comparison or check passed.</summary>
    public const int Success = 0;

    /// <summary>The verb's own failure: a workload that failed, a baseline figure that grew, a check rule that failed,
    /// a figure `trace --cross-check-phases` found different, an unexpected error (a bug).</summary>
    public const int Failed = 1;

    /// <summary>Refused before any work: a bad command line or input file, an unavailable backend, a capture that could
    /// not start or cannot measure what was asked.</summary>
    public const int Usage = 2;

    /// <summary>The run ended, but proves nothing: events lost, a positive control missed, a phase missing, the traced
    /// command failed (compare, check), a check rule that could not be measured, no rule that applied, or a phase
    /// cross-check that compared nothing (trace).</summary>
    public const int Inconclusive = 3;

    /// <summary>`run`: the backend cannot do this workload (a vendor without graphs, say).</summary>
    public const int NotSupported = 4;

    /// <summary>`run`: the workload outlived --timeout and was ended.</summary>
    public const int TimedOut = Workloads.Catalogue.Watchdog.TimedOutExitCode;

    /// <summary>`trace`: the command could not be found or run (as a shell says it).</summary>
    public const int NotFound = 127;

    /// <summary>`trace`: 128 + N when signal N killed the command (as a shell says it).</summary>
    public const int KilledBase = 128;

    /// <summary>The table: each code and what it means, for the README and `gpuosspec --help`.</summary>
    public static IReadOnlyList<(string Code, string Meaning)> Table { get; } =
    [
        ($"{Success}", "success"),
        ($"{Failed}", "the verb's own failure: a workload failed, a baseline figure grew, a `check` rule failed, a `trace --cross-check-phases` figure differs, an unexpected error"),
        ($"{Usage}", "refused before any work: bad input, an unavailable backend, a capture that cannot start or cannot measure what is asked"),
        ($"{Inconclusive}", "the run proves nothing: events lost, a positive control missed, a baseline phase missing, the compared or checked command failed, a `check` rule not measured or none applicable, a `trace --cross-check-phases` that compared nothing"),
        ($"{NotSupported}", "`run`: the backend cannot do this workload"),
        ($"{TimedOut}", "`run`: the workload outlived `--timeout`"),
        ($"{NotFound}", "`trace`: the command cannot be found or run"),
        ($"{KilledBase}+N", "`trace`: signal N killed the command"),
        ("other", "`trace`: the command's own exit code"),
    ];
}
