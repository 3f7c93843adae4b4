namespace GpuOsSpec.Tracing.Sources.Strace;

/// <summary>One parsed line of `strace -f -ttt -T -y` output.</summary>
/// <param name="Kind">What the line was.</param>
/// <param name="Tid">The thread's id.</param>
/// <param name="RealtimeNs">The -ttt timestamp in CLOCK_REALTIME
/// nanoseconds.</param>
/// <param name="Name">The syscall name (or signal name for
/// <see cref="StraceLineKind.Signal"/>).</param>
/// <param name="Arguments">The argument text (for
/// <see cref="StraceLineKind.Resumed"/>, only the part after the resumption).</param>
/// <param name="Result">The return
/// value (-errno on failure), or null when strace printed "?".</param>
/// <param name="ResultPath">The path strace printed
/// after a returned fd (openat(...) = 3&lt;/dev/nvidiactl&gt;).</param>
/// <param name="DurationNs">The -T time spent in
/// the call, or null.</param>
/// <param name="Raw">The line itself.</param>
public sealed record StraceLine(StraceLineKind Kind, int Tid, long RealtimeNs, string? Name, string Arguments, long? Result, string? ResultPath, long? DurationNs, string Raw);
