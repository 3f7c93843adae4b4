namespace GpuOsSpec.Workloads.Interop;

/// <summary>The CUDA driver API (libcuda.so.1), bound directly: nothing sits between a workload and the
/// driver.</summary>
internal static partial class Cuda
{
    internal const string LibraryName = "libcuda.so.1";

    internal const uint CtxSchedAuto = 0;
    internal const uint CtxSchedSpin = 1;
    internal const uint CtxSchedYield = 2;
    internal const uint CtxSchedBlockingSync = 4;
    internal const uint CtxMapHost = 8;
    internal const uint StreamNonBlocking = 1;
    internal const uint EventDisableTiming = 2;
    internal const uint EventBlockingSync = 1;
    internal const uint MemHostAllocPortable = 1;
    internal const uint MemAttachGlobal = 1;
    internal const int StreamCaptureModeThreadLocal = 1;
}
