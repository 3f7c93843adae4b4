namespace GpuOsSpec.Cli.Evaluation;

/// <summary>How gpuos compares with native on one metric.</summary>
internal static class Verdict
{
    /// <summary>"better", "worse" or "same": lower is better; a verdict only where the intervals do not
    /// overlap.</summary>
    internal static string Of(MedianInterval native, MedianInterval gpuos) =>
        gpuos.High < native.Low ? "better" : gpuos.Low > native.High ? "worse" : "same (intervals overlap)";
}
