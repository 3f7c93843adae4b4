namespace GpuOsSpec.Workloads.Interop;

/// <summary>CUresult; names come from cuGetErrorName at run time, this lists the ones the backend reacts to.</summary>
internal enum CuResult
{
    Success = 0,
    InvalidValue = 1,
    OutOfMemory = 2,
    NotInitialized = 3,
    NoDevice = 100,
    InvalidDevice = 101,
    NotReady = 600,
    LaunchTimeout = 702,
    NotSupported = 801,
    Unknown = 999,
}
