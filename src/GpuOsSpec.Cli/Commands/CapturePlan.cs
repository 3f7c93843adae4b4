namespace GpuOsSpec.Cli.Commands;

/// <summary>A capture of a command, checked and ready to run: its options, the command line, and the source and mode
/// that will run.</summary>
/// <param name="Options">The capture settings.</param>
/// <param name="Argv">The command and its
/// arguments.</param>
/// <param name="Source">The source that will run (Auto resolved).</param>
/// <param name="Mode">The
/// perf mode that will run (for the perf source).</param>
internal sealed record CapturePlan(CaptureOptions Options, string[] Argv, CaptureSourceKind Source, PerfMode Mode);
