namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>Receives raw perf records as a ring buffer is drained.</summary>
internal abstract class PerfRecordSink
{
    /// <summary>One record, header included.</summary>
    internal abstract void OnRecord(uint type, ReadOnlySpan<byte> record, int cpu);
}
