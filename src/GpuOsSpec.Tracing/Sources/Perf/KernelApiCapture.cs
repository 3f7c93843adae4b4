namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>What the in-kernel API counter read at the end of a capture.</summary>
/// <param name="Calls">One record per call, in the order read.</param>
/// <param name="Lost">Calls or counts lost (a full ring buffer, calls nested past the kept depth, thread state the
/// kernel could not allocate, unreadable records, program runs the kernel skipped).</param>
/// <param name="Notes">What each loss means, and the returns that matched no call, for the trace's notes.</param>
internal sealed record KernelApiCapture(List<KernelApiRecord> Calls, long Lost, List<string> Notes);
