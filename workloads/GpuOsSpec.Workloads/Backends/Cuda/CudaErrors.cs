using System.Runtime.InteropServices;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>Turns a CUresult into an exception that names the call and the driver's error name.</summary>
internal static class CudaErrors
{
    // Used when the driver cannot be asked (cuGetErrorName itself unavailable or failing).
    private static readonly Dictionary<int, string> s_names = new()
    {
        [0] = "CUDA_SUCCESS", [1] = "CUDA_ERROR_INVALID_VALUE", [2] = "CUDA_ERROR_OUT_OF_MEMORY",
        [3] = "CUDA_ERROR_NOT_INITIALIZED", [4] = "CUDA_ERROR_DEINITIALIZED", [35] = "CUDA_ERROR_INSUFFICIENT_DRIVER",
        [100] = "CUDA_ERROR_NO_DEVICE", [101] = "CUDA_ERROR_INVALID_DEVICE", [200] = "CUDA_ERROR_INVALID_IMAGE",
        [201] = "CUDA_ERROR_INVALID_CONTEXT", [209] = "CUDA_ERROR_NO_BINARY_FOR_GPU", [218] = "CUDA_ERROR_INVALID_PTX",
        [222] = "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", [400] = "CUDA_ERROR_INVALID_HANDLE", [500] = "CUDA_ERROR_NOT_FOUND",
        [600] = "CUDA_ERROR_NOT_READY", [700] = "CUDA_ERROR_ILLEGAL_ADDRESS", [701] = "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
        [702] = "CUDA_ERROR_LAUNCH_TIMEOUT", [719] = "CUDA_ERROR_LAUNCH_FAILED", [801] = "CUDA_ERROR_NOT_SUPPORTED",
        [900] = "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", [999] = "CUDA_ERROR_UNKNOWN",
    };

    internal static bool DriverLoaded { get; set; }

    /// <summary>The driver's name for <paramref name="result"/>.</summary>
    internal static string Name(CuResult result)
    {
        if (DriverLoaded && Interop.Cuda.cuGetErrorName(result, out nint text) == CuResult.Success && text != 0)
        {
            return Marshal.PtrToStringAnsi(text) ?? s_names.GetValueOrDefault((int)result, $"CUresult {(int)result}");
        }
        return s_names.GetValueOrDefault((int)result, $"CUresult {(int)result}");
    }

    /// <summary>Throws <see cref="GpuBackendException"/> unless <paramref name="result"/> is CUDA_SUCCESS.</summary>
    internal static void Check(CuResult result, string call)
    {
        if (result != CuResult.Success)
        {
            throw new GpuBackendException(call, Name(result), (int)result);
        }
    }
}
