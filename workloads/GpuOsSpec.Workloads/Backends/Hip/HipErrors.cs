using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Backends.Hip;

/// <summary>Turns a hipError_t (or hiprtcResult) into an exception naming the call and the error.</summary>
internal static class HipErrors
{
    private static readonly Dictionary<int, string> s_names = new()
    {
        [0] = "hipSuccess", [1] = "hipErrorInvalidValue", [2] = "hipErrorOutOfMemory", [3] = "hipErrorNotInitialized",
        [35] = "hipErrorInsufficientDriver", [98] = "hipErrorInvalidDeviceFunction", [100] = "hipErrorNoDevice",
        [101] = "hipErrorInvalidDevice", [200] = "hipErrorInvalidImage", [201] = "hipErrorInvalidContext",
        [209] = "hipErrorNoBinaryForGpu", [218] = "hipErrorInvalidKernelFile", [400] = "hipErrorInvalidHandle",
        [500] = "hipErrorNotFound", [600] = "hipErrorNotReady", [700] = "hipErrorIllegalAddress",
        [702] = "hipErrorLaunchTimeOut", [719] = "hipErrorLaunchFailure", [801] = "hipErrorNotSupported",
        [999] = "hipErrorUnknown",
    };

    private static readonly string[] s_rtcNames =
    [
        "HIPRTC_SUCCESS", "HIPRTC_ERROR_OUT_OF_MEMORY", "HIPRTC_ERROR_PROGRAM_CREATION_FAILURE", "HIPRTC_ERROR_INVALID_INPUT",
        "HIPRTC_ERROR_INVALID_PROGRAM", "HIPRTC_ERROR_INVALID_OPTION", "HIPRTC_ERROR_COMPILATION",
        "HIPRTC_ERROR_BUILTIN_OPERATION_FAILURE", "HIPRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION",
        "HIPRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION", "HIPRTC_ERROR_NAME_EXPRESSION_NOT_VALID",
        "HIPRTC_ERROR_INTERNAL_ERROR",
    ];

    internal static bool RuntimeLoaded { get; set; }

    internal static string Name(int error)
    {
        if (RuntimeLoaded && Interop.Hip.hipGetErrorName(error) is var p && p != 0 && Marshal.PtrToStringAnsi(p) is { } name)
        {
            return name;
        }
        return s_names.GetValueOrDefault(error, $"hipError_t {error}");
    }

    internal static string RtcName(int error) => error >= 0 && error < s_rtcNames.Length ? s_rtcNames[error] : $"hiprtcResult {error}";

    internal static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new GpuBackendException(call, Name(error), error);
        }
    }

    internal static void CheckRtc(int error, string call, string? log = null)
    {
        if (error != 0)
        {
            throw new GpuBackendException(call, RtcName(error), error, log);
        }
    }
}
