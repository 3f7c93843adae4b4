namespace GpuOsSpec.Workloads.Backends;

/// <summary>How the host waits for the device. Each backend maps these onto its own mechanism.</summary>
public enum SyncMode
{
    /// <summary>The runtime's default (CUDA CU_CTX_SCHED_AUTO, HIP hipDeviceScheduleAuto, OpenCL clFinish).</summary>
    Auto,
    /// <summary>Busy-wait on the CPU (CUDA/HIP spin scheduling; OpenCL polls the event status).</summary>
    Spin,
    /// <summary>Busy-wait, yielding the CPU between checks (CUDA/HIP yield scheduling; OpenCL polls with
    /// sched_yield).</summary>
    Yield,
    /// <summary>Park the thread on an OS primitive (CUDA/HIP blocking sync; OpenCL clWaitForEvents).</summary>
    Blocking,
}
