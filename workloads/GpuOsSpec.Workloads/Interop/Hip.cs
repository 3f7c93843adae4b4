namespace GpuOsSpec.Workloads.Interop;

/// <summary>HIP (libamdhip64.so), bound directly; kernels come from <see cref="HipRtc"/>.</summary>
internal static partial class Hip
{
    internal const string LibraryName = "libamdhip64.so";

    internal const int Success = 0;
    internal const int NotReady = 600;
    internal const uint DeviceScheduleAuto = 0;
    internal const uint DeviceScheduleSpin = 1;
    internal const uint DeviceScheduleYield = 2;
    internal const uint DeviceScheduleBlockingSync = 4;
    internal const uint StreamNonBlocking = 1;
    internal const uint EventDisableTiming = 2;
    internal const uint EventBlockingSync = 1;
    internal const uint HostMallocDefault = 0;
    internal const uint MemAttachGlobal = 1;
    internal const int MemcpyHostToDevice = 1;
    internal const int MemcpyDeviceToHost = 2;
    internal const int AttributeClockRate = 5;
}
