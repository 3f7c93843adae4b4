namespace GpuOsSpec.Tracing.Tests.Support;

/// <summary>
/// Tests that trace this process: an in-process session attaches to every thread, so they must not overlap with
/// each other or with tests that start child processes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "kernel tracing";
}
