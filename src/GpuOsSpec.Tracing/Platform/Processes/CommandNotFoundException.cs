namespace GpuOsSpec.Tracing.Platform.Processes;

/// <summary>The command to trace does not exist or is not executable. Command-line tools exit with 127 for
/// it.</summary>
public sealed class CommandNotFoundException(string message) : Exception(message);
