namespace GpuOsSpec.Workloads.Interop;

/// <summary>OpenCL (libOpenCL.so.1, any ICD: PoCL, NVIDIA, AMD, Intel).</summary>
internal static partial class OpenCl
{
    internal const string LibraryName = "libOpenCL.so.1";

    internal const int Success = 0;
    internal const ulong DeviceTypeAll = 0xFFFFFFFF;
    internal const uint PlatformName = 0x0902;
    internal const uint PlatformVendor = 0x0903;
    internal const uint PlatformVersion = 0x0901;
    internal const uint DeviceName = 0x102B;
    internal const uint DeviceVersion = 0x102F;
    internal const uint DeviceGlobalMemSize = 0x101F;
    internal const uint DeviceType = 0x1000;
    internal const uint ProgramBuildLog = 0x1183;
    internal const uint EventCommandExecutionStatus = 0x11D3;
    internal const ulong QueueProperties = 0x1093;
    internal const ulong QueueOutOfOrder = 1 << 0;
    internal const ulong MemReadWrite = 1 << 0;
    internal const ulong MemAllocHostPtr = 1 << 4;
    internal const ulong MapRead = 1 << 0;
    internal const ulong MapWrite = 1 << 1;
}
