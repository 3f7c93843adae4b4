using GpuOsSpec.Workloads.Catalogue;
using GpuOsSpec.Workloads.Catalogue.Workloads;
using GpuOsSpec.Workloads.Tests.Support;

namespace GpuOsSpec.Workloads.Tests.GpuOs;

/// <summary>The evaluation's server case, outside the catalogue: one epoll loop, a socket and the GPU's
/// completions.</summary>
public class EpollServerTests
{
    [SkippableTheory]
    [InlineData("cpu", ExecutionPath.Native)]
    [InlineData("cpu", ExecutionPath.GpuOs)]
    [InlineData("opencl", ExecutionPath.Native)]
    [InlineData("opencl", ExecutionPath.GpuOs)]
    public void The_loop_answers_every_request_after_its_kernel_natively_and_through_the_completion_fd(string backend, ExecutionPath via)
    {
        var (b, device) = RequireBackend.Target(backend);
        var w = new EpollServer();

        var result = WorkloadRunner.Run(w, b, WorkloadSettings.Resolve(w, new Dictionary<string, string>(), smoke: true), deviceIndex: device, execution: via);

        result.Error.Should().BeNull();
        result.Checks.Should().Contain(c => c.Name == "every request was answered after its kernel").And.OnlyContain(c => c.Passed);
        result.Phases.Single(p => p.Path == "steady").Operations["completions"].Should().Be(5, "the smoke settings serve 5 requests");
    }
}
