namespace GpuOsSpec.Workloads.Backends.Cpu;

/// <summary>A point in a CPU stream: complete once the worker has run everything submitted before it.</summary>
internal sealed class CpuEvent(CpuStream stream, long target) : IGpuEvent
{
    public bool IsComplete => stream.Completed >= target;

    public void Synchronize() => stream.WaitFor(target);

    public void Dispose()
    {
    }
}
