namespace GpuOsSpec.Tracing.Model;

/// <summary>One kernel thread seen during a capture.</summary>
/// <param name="Tid">Kernel thread id.</param>
/// <param name="Pid">Thread group (process) id.</param>
/// <param name="Name">The thread's comm (15 characters at most), as last seen.</param>
/// <param name="Origin">Who the thread belongs to.</param>
/// <param name="ParentTid">The thread that created it, when it was created during the capture.</param>
/// <param name="CreatedDuringCapture">True when the thread started after the capture began.</param>
/// <param name="CreatedAtNs">CLOCK_MONOTONIC nanoseconds of its creation, when the source saw it (perf).</param>
public sealed record TraceThread(int Tid, int Pid, string Name, ThreadOrigin Origin, int? ParentTid, bool CreatedDuringCapture, long? CreatedAtNs = null);
