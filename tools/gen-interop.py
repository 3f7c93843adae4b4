#!/usr/bin/env python3
"""Generates one file per native call (house style, after dotnet/runtime's Common/src/Interop) for the GPU APIs.

Each row: (class, C name, return type, parameters). Run: python3 tools/gen-interop.py
"""
import os

CUDA = [
    ("cuInit", "CuResult", "uint flags"),
    ("cuDriverGetVersion", "CuResult", "out int version"),
    ("cuDeviceGetCount", "CuResult", "out int count"),
    ("cuDeviceGet", "CuResult", "out int device, int ordinal"),
    ("cuDeviceGetName", "CuResult", "byte* name, int length, int device"),
    ("cuDeviceTotalMem_v2", "CuResult", "out nuint bytes, int device"),
    ("cuCtxCreate_v2", "CuResult", "out nint context, uint flags, int device"),
    ("cuCtxDestroy_v2", "CuResult", "nint context"),
    ("cuCtxSetCurrent", "CuResult", "nint context"),
    ("cuCtxSynchronize", "CuResult", ""),
    ("cuModuleLoadData", "CuResult", "out nint module, byte* image"),
    ("cuModuleUnload", "CuResult", "nint module"),
    ("cuModuleGetFunction", "CuResult", "out nint function, nint module, byte* name"),
    ("cuLaunchKernel", "CuResult", "nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ, uint sharedBytes, nint stream, void** parameters, void** extra"),
    ("cuMemAlloc_v2", "CuResult", "out ulong pointer, nuint bytes"),
    ("cuMemFree_v2", "CuResult", "ulong pointer"),
    ("cuMemAllocManaged", "CuResult", "out ulong pointer, nuint bytes, uint flags"),
    ("cuMemHostAlloc", "CuResult", "out nint pointer, nuint bytes, uint flags"),
    ("cuMemFreeHost", "CuResult", "nint pointer"),
    ("cuMemcpyHtoDAsync_v2", "CuResult", "ulong destination, void* source, nuint bytes, nint stream"),
    ("cuMemcpyDtoHAsync_v2", "CuResult", "void* destination, ulong source, nuint bytes, nint stream"),
    ("cuMemcpyHtoD_v2", "CuResult", "ulong destination, void* source, nuint bytes"),
    ("cuMemcpyDtoH_v2", "CuResult", "void* destination, ulong source, nuint bytes"),
    ("cuStreamCreate", "CuResult", "out nint stream, uint flags"),
    ("cuStreamDestroy_v2", "CuResult", "nint stream"),
    ("cuStreamSynchronize", "CuResult", "nint stream"),
    ("cuStreamWaitEvent", "CuResult", "nint stream, nint cuEvent, uint flags"),
    ("cuEventCreate", "CuResult", "out nint cuEvent, uint flags"),
    ("cuEventRecord", "CuResult", "nint cuEvent, nint stream"),
    ("cuEventSynchronize", "CuResult", "nint cuEvent"),
    ("cuEventQuery", "CuResult", "nint cuEvent"),
    ("cuEventDestroy_v2", "CuResult", "nint cuEvent"),
    ("cuStreamBeginCapture_v2", "CuResult", "nint stream, int mode"),
    ("cuStreamEndCapture", "CuResult", "nint stream, out nint graph"),
    ("cuGraphInstantiateWithFlags", "CuResult", "out nint graphExec, nint graph, ulong flags"),
    ("cuGraphLaunch", "CuResult", "nint graphExec, nint stream"),
    ("cuGraphExecDestroy", "CuResult", "nint graphExec"),
    ("cuGraphDestroy", "CuResult", "nint graph"),
    ("cuGetErrorName", "CuResult", "CuResult error, out nint name"),
]

OPENCL = [
    ("clGetPlatformIDs", "int", "uint entries, nint* platforms, out uint count"),
    ("clGetPlatformInfo", "int", "nint platform, uint name, nuint size, byte* value, out nuint sizeReturned"),
    ("clGetDeviceIDs", "int", "nint platform, ulong type, uint entries, nint* devices, out uint count"),
    ("clGetDeviceInfo", "int", "nint device, uint name, nuint size, void* value, out nuint sizeReturned"),
    ("clCreateContext", "nint", "nint* properties, uint deviceCount, nint* devices, nint notify, nint userData, out int error"),
    ("clReleaseContext", "int", "nint context"),
    ("clCreateCommandQueueWithProperties", "nint", "nint context, nint device, ulong* properties, out int error"),
    ("clReleaseCommandQueue", "int", "nint queue"),
    ("clCreateProgramWithSource", "nint", "nint context, uint count, byte** strings, nuint* lengths, out int error"),
    ("clBuildProgram", "int", "nint program, uint deviceCount, nint* devices, byte* options, nint notify, nint userData"),
    ("clGetProgramBuildInfo", "int", "nint program, nint device, uint name, nuint size, byte* value, out nuint sizeReturned"),
    ("clReleaseProgram", "int", "nint program"),
    ("clCreateKernel", "nint", "nint program, byte* name, out int error"),
    ("clReleaseKernel", "int", "nint kernel"),
    ("clSetKernelArg", "int", "nint kernel, uint index, nuint size, void* value"),
    ("clEnqueueNDRangeKernel", "int", "nint queue, nint kernel, uint dimensions, nuint* offset, nuint* global, nuint* local, uint waitCount, nint* waitList, nint* cuEvent"),
    ("clFinish", "int", "nint queue"),
    ("clFlush", "int", "nint queue"),
    ("clWaitForEvents", "int", "uint count, nint* events"),
    ("clGetEventInfo", "int", "nint cuEvent, uint name, nuint size, void* value, out nuint sizeReturned"),
    ("clReleaseEvent", "int", "nint cuEvent"),
    ("clCreateBuffer", "nint", "nint context, ulong flags, nuint size, nint hostPointer, out int error"),
    ("clReleaseMemObject", "int", "nint buffer"),
    ("clEnqueueWriteBuffer", "int", "nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* source, uint waitCount, nint* waitList, nint* cuEvent"),
    ("clEnqueueReadBuffer", "int", "nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* destination, uint waitCount, nint* waitList, nint* cuEvent"),
    ("clEnqueueMapBuffer", "nint", "nint queue, nint buffer, uint blocking, ulong flags, nuint offset, nuint size, uint waitCount, nint* waitList, nint* cuEvent, out int error"),
    ("clEnqueueUnmapMemObject", "int", "nint queue, nint buffer, nint mapped, uint waitCount, nint* waitList, nint* cuEvent"),
    ("clEnqueueMarkerWithWaitList", "int", "nint queue, uint waitCount, nint* waitList, nint* cuEvent"),
    ("clEnqueueBarrierWithWaitList", "int", "nint queue, uint waitCount, nint* waitList, nint* cuEvent"),
]

HIP = [
    ("hipInit", "int", "uint flags"),
    ("hipDriverGetVersion", "int", "out int version"),
    ("hipGetDeviceCount", "int", "out int count"),
    ("hipSetDevice", "int", "int device"),
    ("hipSetDeviceFlags", "int", "uint flags"),
    ("hipDeviceGetName", "int", "byte* name, int length, int device"),
    ("hipDeviceGetAttribute", "int", "out int value, int attribute, int device"),
    ("hipDeviceSynchronize", "int", ""),
    ("hipMalloc", "int", "out nint pointer, nuint bytes"),
    ("hipFree", "int", "nint pointer"),
    ("hipHostMalloc", "int", "out nint pointer, nuint bytes, uint flags"),
    ("hipHostFree", "int", "nint pointer"),
    ("hipMallocManaged", "int", "out nint pointer, nuint bytes, uint flags"),
    ("hipMemcpyAsync", "int", "nint destination, nint source, nuint bytes, int kind, nint stream"),
    ("hipStreamCreateWithFlags", "int", "out nint stream, uint flags"),
    ("hipStreamDestroy", "int", "nint stream"),
    ("hipStreamSynchronize", "int", "nint stream"),
    ("hipStreamWaitEvent", "int", "nint stream, nint hipEvent, uint flags"),
    ("hipEventCreateWithFlags", "int", "out nint hipEvent, uint flags"),
    ("hipEventRecord", "int", "nint hipEvent, nint stream"),
    ("hipEventSynchronize", "int", "nint hipEvent"),
    ("hipEventQuery", "int", "nint hipEvent"),
    ("hipEventDestroy", "int", "nint hipEvent"),
    ("hipModuleLoadData", "int", "out nint module, byte* image"),
    ("hipModuleUnload", "int", "nint module"),
    ("hipModuleGetFunction", "int", "out nint function, nint module, byte* name"),
    ("hipModuleLaunchKernel", "int", "nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ, uint sharedBytes, nint stream, void** parameters, void** extra"),
    ("hipGetErrorName", "nint", "int error"),
]

HIPRTC = [
    ("hiprtcCreateProgram", "int", "out nint program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames"),
    ("hiprtcCompileProgram", "int", "nint program, int optionCount, byte** options"),
    ("hiprtcGetProgramLogSize", "int", "nint program, out nuint size"),
    ("hiprtcGetProgramLog", "int", "nint program, byte* log"),
    ("hiprtcGetCodeSize", "int", "nint program, out nuint size"),
    ("hiprtcGetCode", "int", "nint program, byte* code"),
    ("hiprtcDestroyProgram", "int", "ref nint program"),
]

root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "workloads/GpuOsSpec.Workloads/Interop")
for cls, rows in (("Cuda", CUDA), ("OpenCl", OPENCL), ("Hip", HIP), ("HipRtc", HIPRTC)):
    for name, ret, params in rows:
        unsafe = "unsafe " if "*" in params else ""
        text = f"""// <auto-generated>tools/gen-interop.py; do not edit.</auto-generated>
using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

internal static partial class {cls}
{{
    [LibraryImport(LibraryName, EntryPoint = "{name}")]
    internal static {unsafe}partial {ret} {name}({params});
}}
"""
        with open(os.path.join(root, f"{cls}.{name}.g.cs"), "w") as f:
            f.write(text)
print("generated", sum(len(r) for r in (CUDA, OPENCL, HIP, HIPRTC)), "bindings")
