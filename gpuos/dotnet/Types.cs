using System.Runtime.InteropServices;

namespace GpuOs;

/// <summary>What a phase's threads ask of the OS (docs/abstraction.md, "Class hints").</summary>
public enum WorkloadClass
{
    /// <summary>Keep the enclosing phase's class (latency-critical outside any phase).</summary>
    Inherit = 0,

    /// <summary>SCHED_OTHER at the thread's own nice value.</summary>
    LatencyCritical = 1,

    /// <summary>SCHED_BATCH: no wake-up preemption of others.</summary>
    Throughput = 2,

    /// <summary>SCHED_IDLE: runs when nothing else wants the CPU.</summary>
    Background = 3,
}

/// <summary>Whose host callback signals a completion.</summary>
public enum CompletionVendor
{
    /// <summary>Signalled by <see cref="Completion.Signal"/> (a CPU queue, tests).</summary>
    Manual = 0,

    /// <summary>A CUstream: a stream write to a host word and an event without blocking sync (a park records its own
    /// blocking-sync event); the stream's context must be current on the arming thread.</summary>
    Cuda = 1,

    /// <summary>A marker event on a cl_command_queue (on NVIDIA's in-order queues a 4-byte fill), waited on as the
    /// platform's measurements chose.</summary>
    OpenCl = 2,

    /// <summary>A hipStream_t, as CUDA.</summary>
    Hip = 3,
}

/// <summary>How a thread waits on a completion.</summary>
public enum WaitPolicy
{
    /// <summary>Polls until done: no syscall, burns the core.</summary>
    Spin = 0,

    /// <summary>Sleeps at once in the vendor's own blocking wait (Manual: poll(2) on the eventfd).</summary>
    Park = 1,

    /// <summary>Sleeps through the expected time, spins for the end, parks when the work runs past it.</summary>
    Adaptive = 2,
}

/// <summary>What a wait decided.</summary>
public enum WaitDecision
{
    /// <summary>Spun until the signal.</summary>
    Spin = 0,

    /// <summary>Parked at once.</summary>
    Park = 1,

    /// <summary>Spun for the expected time, then parked.</summary>
    SpinThenPark = 2,

    /// <summary>The completion was already signalled.</summary>
    AlreadyComplete = 3,

    /// <summary>Slept through the expected time, then spun until the end.</summary>
    SleepThenSpin = 4,

    /// <summary>Slept, spun past the expected end, then parked.</summary>
    SleepSpinThenPark = 5,
}

/// <summary>The hints the library applies when a thread's class changes.</summary>
[Flags]
public enum HintKinds : uint
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>sched_setattr: the policy per class.</summary>
    Scheduler = 1,

    /// <summary>prctl(PR_SET_NAME) to the phase's name.</summary>
    ThreadName = 2,

    /// <summary>Moves the thread into the cgroup GPUOS_CGROUP_&lt;CLASS&gt; names.</summary>
    Cgroup = 4,
}

/// <summary>What one wait did (gpuos_wait_info).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct WaitInfo
{
    private readonly int _policy;
    private readonly int _decision;
    private readonly long _expectedNs;
    private readonly long _spunNs;
    private readonly long _waitedNs;
    private readonly long _wakeNs;
    private readonly int _parks;
    private readonly int _sleeps;

    /// <summary>The policy asked for.</summary>
    public WaitPolicy Policy => (WaitPolicy)_policy;

    /// <summary>What the wait did.</summary>
    public WaitDecision Decision => (WaitDecision)_decision;

    /// <summary>The expected remaining time the adaptive policy used, in ns, or -1 when unknown.</summary>
    public long ExpectedNs => _expectedNs;

    /// <summary>Time spent spinning, ns.</summary>
    public long SpunNs => _spunNs;

    /// <summary>Time in the wait, ns.</summary>
    public long WaitedNs => _waitedNs;

    /// <summary>From the signal to the waiter seeing it, ns, or -1 when unknown (a vendor's work is seen, not
    /// signalled).</summary>
    public long WakeNs => _wakeNs;

    /// <summary>Parks made: poll(2) calls, vendor blocking waits or back-off sleeps.</summary>
    public int Parks => _parks;

    /// <summary>The adaptive policy's sleeps through the expected time (0 or 1).</summary>
    public int Sleeps => _sleeps;
}

/// <summary>What the class hints did in this process (gpuos_hint_stats).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct HintStats(ulong ClassChanges, ulong SchedCalls, ulong SchedFailures, ulong NameCalls, ulong CgroupMoves, ulong CgroupFailures);

/// <summary>A libgpuos call failed or was misused; the message is the library's, naming the phase where it
/// matters.</summary>
public sealed class GpuOsException(int status, string message) : Exception(message)
{
    /// <summary>The gpuos_status code (negative).</summary>
    public int Status { get; } = status;
}
