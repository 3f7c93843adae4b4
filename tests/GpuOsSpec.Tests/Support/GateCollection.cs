namespace GpuOsSpec.Tests.Support;

/// <summary>
/// Runs alone in the process: its tests read how many flows wait for the trace gate, and know that the only one that
/// can is their own stand-in for another class.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GateCollection
{
    public const string Name = "alone: counts the flows that wait for the trace gate";
}
