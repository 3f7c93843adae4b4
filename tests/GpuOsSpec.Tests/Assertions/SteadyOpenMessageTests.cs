using GpuOsSpec.Assertions;
using GpuOsSpec.Tests.Support;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Assertions;

/// <summary>An assertion that a phase opens nothing names, when it fails, the file each open opened, or says its path
/// was not read.</summary>
public class SteadyOpenMessageTests
{
    [Fact]
    public void A_failed_steady_no_open_assertion_names_the_file_the_thread_opened()
    {
        var steady = new Traces().Open("/proc/meminfo", 1_139_000).Build().Phase("steady");

        var act = () => steady.Should().HaveAtMostCallsTo("openat", 0);

        act.Should().Throw<XunitException>().WithMessage(
            "Expected * to make no calls to openat, but found 1: openat ×1 (first at +0.139 ms, tid 100 testhost [Workload]; files: /proc/meminfo ×1).*");
    }

    [Fact]
    public void An_open_whose_path_the_capture_did_not_read_says_so_instead_of_naming_a_file()
    {
        var steady = new Traces().Open("/etc/hosts", 1_100_000).Open(null, 1_200_000).Open("/etc/hosts", 1_300_000).Build().Phase("steady");

        var act = () => steady.Should().HaveAtMostCallsTo("openat", 0);

        act.Should().Throw<XunitException>().WithMessage("*openat ×3 (first at +0.100 ms, tid 100 testhost [Workload]; files: /etc/hosts ×2, path not read ×1)*");
    }
}
