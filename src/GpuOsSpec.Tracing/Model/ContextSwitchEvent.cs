namespace GpuOsSpec.Tracing.Model;

/// <summary>A thread was switched off its CPU.</summary>
/// <param name="Tid">The thread switched out.</param>
/// <param name="TimeNs">CLOCK_MONOTONIC nanoseconds.</param>
/// <param name="Voluntary">True when the thread blocked (it
/// was not runnable); false when it was preempted or yielded.</param>
/// <param name="Cpu">The CPU it left.</param>
public readonly record struct ContextSwitchEvent(int Tid, long TimeNs, bool Voluntary, int Cpu);
