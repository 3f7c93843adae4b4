namespace GpuOsSpec.Workloads.Interop;

/// <summary>hiprtc (libhiprtc.so): compiles HIP source to a code object at run time.</summary>
internal static partial class HipRtc
{
    internal const string LibraryName = "libhiprtc.so";
}
