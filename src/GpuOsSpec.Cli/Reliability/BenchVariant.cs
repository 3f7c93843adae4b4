namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// One way of running a storm: untraced, under a gpuosspec mode, or under another tool (an anchor).
/// </summary>
/// <param name="Id">The variant's name in JSON ("hybrid", "perf-stat").</param>
/// <param name="Label">Its name in the table.</param>
/// <param name="Measure">Runs it once and returns the sample. A <see cref="System.ComponentModel.Win32Exception"/>
/// means <paramref name="Tool"/> could not be started; any other exception that the run failed, its message saying
/// how.</param>
/// <param name="Tool">The program it runs the storm under (perf, strace), or null for the storm alone and
/// gpuosspec's own modes.</param>
/// <param name="NotRun">Why it will not run at all, known before any round (a tool not on PATH, no gpuos library), or
/// null.</param>
internal sealed record BenchVariant(string Id, string Label, Func<BenchSample> Measure, string? Tool = null, string? NotRun = null);
