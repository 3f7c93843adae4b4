namespace GpuOsSpec.Workloads.Backends.OpenCl;

/// <summary>Turns an OpenCL error code into an exception naming the call and CL_* error.</summary>
internal static class OpenClErrors
{
    private static readonly Dictionary<int, string> s_names = new()
    {
        [0] = "CL_SUCCESS", [-1] = "CL_DEVICE_NOT_FOUND", [-2] = "CL_DEVICE_NOT_AVAILABLE", [-3] = "CL_COMPILER_NOT_AVAILABLE",
        [-4] = "CL_MEM_OBJECT_ALLOCATION_FAILURE", [-5] = "CL_OUT_OF_RESOURCES", [-6] = "CL_OUT_OF_HOST_MEMORY",
        [-7] = "CL_PROFILING_INFO_NOT_AVAILABLE", [-8] = "CL_MEM_COPY_OVERLAP", [-11] = "CL_BUILD_PROGRAM_FAILURE",
        [-12] = "CL_MAP_FAILURE", [-14] = "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST", [-30] = "CL_INVALID_VALUE",
        [-32] = "CL_INVALID_PLATFORM", [-33] = "CL_INVALID_DEVICE", [-34] = "CL_INVALID_CONTEXT",
        [-35] = "CL_INVALID_QUEUE_PROPERTIES", [-36] = "CL_INVALID_COMMAND_QUEUE", [-38] = "CL_INVALID_MEM_OBJECT",
        [-44] = "CL_INVALID_PROGRAM", [-45] = "CL_INVALID_PROGRAM_EXECUTABLE", [-46] = "CL_INVALID_KERNEL_NAME",
        [-48] = "CL_INVALID_KERNEL", [-49] = "CL_INVALID_ARG_INDEX", [-50] = "CL_INVALID_ARG_VALUE",
        [-51] = "CL_INVALID_ARG_SIZE", [-52] = "CL_INVALID_KERNEL_ARGS", [-54] = "CL_INVALID_WORK_GROUP_SIZE",
        [-57] = "CL_INVALID_EVENT_WAIT_LIST", [-58] = "CL_INVALID_EVENT", [-61] = "CL_INVALID_BUFFER_SIZE",
        [-1001] = "CL_PLATFORM_NOT_FOUND_KHR",
    };

    internal static string Name(int code) => s_names.GetValueOrDefault(code, $"CL error {code}");

    internal static void Check(int code, string call, string? detail = null)
    {
        if (code != 0)
        {
            throw new GpuBackendException(call, Name(code), code, detail);
        }
    }
}
