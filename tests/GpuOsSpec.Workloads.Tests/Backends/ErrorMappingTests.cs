using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Workloads.Backends.Cuda;
using GpuOsSpec.Workloads.Backends.Hip;
using GpuOsSpec.Workloads.Backends.OpenCl;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Tests.Backends;

public class ErrorMappingTests
{
    [Fact]
    public void A_cuda_error_names_the_call_and_the_driver_error()
    {
        var act = () => CudaErrors.Check(CuResult.InvalidValue, "cuLaunchKernel");

        act.Should().Throw<GpuBackendException>().WithMessage("cuLaunchKernel: CUDA_ERROR_INVALID_VALUE")
            .Which.Code.Should().Be(1);
    }

    [Theory]
    [InlineData(2, "CUDA_ERROR_OUT_OF_MEMORY")]
    [InlineData(100, "CUDA_ERROR_NO_DEVICE")]
    [InlineData(218, "CUDA_ERROR_INVALID_PTX")]
    [InlineData(12345, "CUresult 12345")]
    public void Cuda_results_have_their_driver_names(int code, string name)
    {
        CudaErrors.Name((CuResult)code).Should().Be(name);
    }

    [Fact]
    public void Cuda_success_does_not_throw()
    {
        var act = () => CudaErrors.Check(CuResult.Success, "cuInit");

        act.Should().NotThrow();
    }

    [Fact]
    public void An_opencl_build_failure_carries_the_build_log()
    {
        var act = () => OpenClErrors.Check(-11, "clBuildProgram", "<source>:3:1: error: expected ';'");

        act.Should().Throw<GpuBackendException>().WithMessage("clBuildProgram: CL_BUILD_PROGRAM_FAILURE (<source>:3:1: error: expected ';')");
    }

    [Theory]
    [InlineData(-30, "CL_INVALID_VALUE")]
    [InlineData(-54, "CL_INVALID_WORK_GROUP_SIZE")]
    [InlineData(-9999, "CL error -9999")]
    public void Opencl_codes_have_their_names(int code, string name)
    {
        OpenClErrors.Name(code).Should().Be(name);
    }

    [Fact]
    public void A_hip_error_names_the_call_and_the_error()
    {
        var act = () => HipErrors.Check(2, "hipMalloc");

        act.Should().Throw<GpuBackendException>().WithMessage("hipMalloc: hipErrorOutOfMemory");
    }

    [Fact]
    public void A_hiprtc_compile_error_carries_the_log()
    {
        var act = () => HipErrors.CheckRtc(6, "hiprtcCompileProgram", "error: use of undeclared identifier 'x'");

        act.Should().Throw<GpuBackendException>().WithMessage("hiprtcCompileProgram: HIPRTC_ERROR_COMPILATION (error: use of undeclared identifier 'x')");
    }
}
