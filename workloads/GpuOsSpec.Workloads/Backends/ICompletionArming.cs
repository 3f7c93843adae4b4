using GpuOs;

namespace GpuOsSpec.Workloads.Backends;

/// <summary>A stream that can arm a gpuos completion after its queued work (the vendor's stream, or the CPU queue's
/// worker).</summary>
internal interface ICompletionArming
{
    /// <summary>Whose callback signals the completion.</summary>
    CompletionVendor Vendor { get; }

    /// <summary>Arms <paramref name="completion"/> after the work queued so far.</summary>
    void Arm(Completion completion);

    /// <summary>Called after a wait: reports a failure the work met (the CPU backend's kernels), or does
    /// nothing.</summary>
    void AfterWait();
}
