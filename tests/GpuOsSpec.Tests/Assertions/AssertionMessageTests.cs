using GpuOsSpec.Assertions;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Model;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Assertions;

/// <summary>The FluentAssertions plumbing: context and reason placeholders, evidence printed as written, guards, cut
/// lists.</summary>
public class AssertionMessageTests
{
    [Fact]
    public void The_subject_the_reason_and_evidence_with_braces_come_through_unharmed()
    {
        var steady = new Traces().Call("openat", 1_100_000, args: default).Build().Phase("steady");
        // A name holding braces and FluentAssertions-looking placeholders must be printed as it is.
        var act = () => steady.Should().HaveAtMostCallsTo("openat", 0, "the {0} phase opens {1} files", "steady {context}", "no");

        act.Should().Throw<XunitException>().WithMessage("Expected * to make no calls to openat because the steady {context} phase opens no files, but found 1: openat ×1 *")
            .Which.Message.Should().NotContain("1L").And.NotContain("\"1\"");
    }

    [Fact]
    public void Counts_print_as_plain_numbers()
    {
        var trace = new Traces().Calls("getppid", 3, 1_100_000).Build();

        var act = () => trace.Phase("steady").Should().HaveSyscallCount(2);

        act.Should().Throw<XunitException>().WithMessage("Expected * to make exactly 2 syscalls, but found 3: getppid ×3 *");
    }

    [Fact]
    public void A_cut_evidence_list_says_how_much_was_left_out()
    {
        var t = new Traces();
        string[] names = ["read", "write", "openat", "close", "mmap", "munmap", "brk"];
        for (int i = 0; i < names.Length; i++)
        {
            t.Call(names[i], 1_100_000 + i * 10);
        }

        var act = () => t.Build().Phase("steady").Should().HaveNoSyscalls();

        act.Should().Throw<XunitException>().WithMessage("*and 2 more syscall name(s)*");
    }

    [Fact]
    public void Bad_arguments_are_spec_mistakes_not_verdicts()
    {
        var view = new Traces().Build().Phase("steady");

        FluentActions.Invoking(() => view.Should().HaveAtMostCallsTo(null!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("name");
        FluentActions.Invoking(() => view.Should().HaveAtMostIoctls("", 1)).Should().Throw<ArgumentException>().WithParameterName("nameOrDevice");
        FluentActions.Invoking(() => view.Should().HaveAtMostSyscalls(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("max");
        FluentActions.Invoking(() => view.Should().HaveAtLeastVoluntarySwitches(-2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("min");
        FluentActions.Invoking(() => view.Should().MakeOnlySyscalls((IEnumerable<string>)null!)).Should().Throw<ArgumentNullException>();
    }
}

/// <summary>Per-API assertions: a bound per call, and never a pass when the function was not called or not
/// probed.</summary>
public class ApiAssertionTests
{
    [Fact]
    public void Syscalls_per_API_call_pass_under_the_bound_and_fail_over_it_with_the_worst_calls()
    {
        var trace = new Traces().Api("cuLaunchKernel", 1_100_000, 1_100_100).Api("cuLaunchKernel", 1_200_000, 1_200_100)
            .Api("cuMemAlloc_v2", 1_300_000, 1_400_000, syscalls: 7).Build();

        trace.Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuLaunchKernel", 0);
        var act = () => trace.Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuMemAlloc_v2", 1, "allocation should be cached");

        act.Should().Throw<XunitException>().WithMessage(
            "Expected * to make at most 1 syscalls per call to cuMemAlloc_v2 because allocation should be cached, but found 7 per call (7 in 1 calls, 0.0 % of them OS-invisible): 7 syscall(s) at +1.300 ms*");
    }

    [Fact]
    public void The_OS_invisible_share_is_not_printed_when_faults_were_not_measured()
    {
        var trace = new Traces().WholeCaptureCounts().Api("cuMemAlloc_v2", 1_300_000, 1_400_000, syscalls: 7).Build();

        var act = () => trace.Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuMemAlloc_v2", 1);

        act.Should().Throw<XunitException>().WithMessage(
            "Expected * but found 7 per call (7 in 1 calls, their OS-invisible share not measured: page faults were not recorded): 7 syscall(s) at +1.300 ms*");
    }

    [Fact]
    public void Syscalls_per_API_call_joined_from_samples_in_hybrid_mode_are_inconclusive_not_a_pass()
    {
        // Hybrid mode records only its decode set per event, so calls joined from perf samples hold none of the
        // getppids the launches made: 0 per call was measured on nothing, and passed.
        var trace = new Traces().Counted("getppid", 2).Api("cuLaunchKernel", 1_100_000, 1_100_100).Api("cuLaunchKernel", 1_200_000, 1_200_100).Build();

        var act = () => trace.Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuLaunchKernel", 0);

        trace.Mode.Should().Be(CaptureMode.Hybrid);
        act.Should().Throw<XunitException>().WithMessage(
            "Expected * to make at most 0 syscalls per call to cuLaunchKernel, but the result is inconclusive: the API calls were joined from perf samples, not counted in the kernel*(drop --api-samples where eBPF loads, or use --mode full)*");
    }

    [Fact]
    public void Syscalls_per_API_call_counted_in_the_kernel_are_judged_in_hybrid_mode()
    {
        var trace = new Traces().Counted("getppid", 2).ApiCountedInKernel()
            .Api("cuLaunchKernel", 1_100_000, 1_100_100, syscalls: 1).Api("cuLaunchKernel", 1_200_000, 1_200_100, syscalls: 1).Build();

        trace.Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuLaunchKernel", 1);
        var act = () => trace.Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuLaunchKernel", 0);

        act.Should().Throw<XunitException>().WithMessage("Expected * to make at most 0 syscalls per call to cuLaunchKernel, but found 1 per call (2 in 2 calls*");
    }

    [Fact]
    public void Syscalls_per_API_call_from_a_kernel_counter_that_lost_counts_are_inconclusive()
    {
        var trace = new Traces().Counted("getppid", 2).ApiCountedInKernel(lost: 3)
            .Api("cuLaunchKernel", 1_100_000, 1_100_100).Api("cuLaunchKernel", 1_200_000, 1_200_100).Build();

        var act = () => trace.Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuLaunchKernel", 0);

        act.Should().Throw<XunitException>().WithMessage("*but the trace is inconclusive: the kernel's API counter lost 3 count(s)*");
    }

    [Fact]
    public void A_function_never_called_or_never_probed_is_inconclusive_not_a_pass()
    {
        var act = () => new Traces().Api("cuLaunchKernel", 1_100_000, 1_100_100).Build().Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuStreamSynchronize", 0);
        act.Should().Throw<XunitException>().WithMessage("*inconclusive: cuStreamSynchronize was never called in the view*");

        var unprobed = () => new Traces().Build().Phase("steady").Should().HaveAtMostSyscallsPerApiCall("cuLaunchKernel", 0);
        unprobed.Should().Throw<XunitException>().WithMessage("*inconclusive: API calls were not probed*");
    }
}

/// <summary>Baselines: a run within tolerance passes, one that grew fails naming what grew and where, an inconclusive
/// one never passes.</summary>
public class BaselineAssertionTests
{
    private static GpuOsSpec.Tracing.Baselines.BaselineProfile Baseline() =>
        GpuOsSpec.Tracing.Baselines.BaselineProfile.Of(new Traces().Calls("getppid", 2, 1_100_000).Build());

    [Fact]
    public void A_run_like_its_baseline_passes_and_one_with_an_extra_call_per_run_fails_with_the_diff()
    {
        new Traces().Calls("getppid", 2, 1_100_000).Build().View().Should().MatchBaseline(Baseline());

        var act = () => new Traces().Calls("getppid", 2, 1_100_000).Call("mmap", 1_500_000).Build().View().Should().MatchBaseline(Baseline(), because: "steps allocate nothing");

        act.Should().Throw<XunitException>().WithMessage("Expected * to match its baseline because steps allocate nothing, but found * figure(s) grown past the tolerance*steady: Syscall mmap 0 -> 1 per run (limit 0.5) (first at +1.500 ms, tid 100 testhost)*");
    }

    [Fact]
    public void An_inconclusive_run_never_matches_a_baseline()
    {
        var act = () => new Traces().Calls("getppid", 2, 1_100_000).Lost(3).Build().View().Should().MatchBaseline(Baseline());

        act.Should().Throw<XunitException>().WithMessage("*inconclusive*");
    }

    [Fact]
    public void A_baseline_of_nothing_is_refused()
    {
        var act = () => GpuOsSpec.Tracing.Baselines.BaselineProfile.Of(new Traces().Build(syscallsMeasured: false));

        act.Should().Throw<ArgumentException>().WithMessage("*cannot be a baseline*");
    }
}

public class BaselineKeyTests
{
    [Fact]
    public void A_terminal_ioctl_on_a_stdout_redirected_elsewhere_is_the_same_figure()
    {
        // A run's stdout is whatever file the job redirected it to: the key is its kind, not its path.
        var baseline = GpuOsSpec.Tracing.Baselines.BaselineProfile.Of(new Traces().Ioctl("/tmp/run1.txt", 0x5401, 1_100_000).Build());

        new Traces().Ioctl("/tmp/run2.txt", 0x5401, 1_100_000).Build().View().Should().MatchBaseline(baseline);
        baseline.Entries.Should().Contain(e => e.Name == "TCGETS (other fd)");
    }
}

public class ResultsFolderTests
{
    [Fact]
    public void Results_land_beside_the_solution_not_in_bin()
    {
        string root = Path.Combine(Path.GetTempPath(), $"gpuosspec-sln-{Guid.NewGuid():N}");
        string bin = Path.Combine(root, "tests", "bin", "Release");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(root, "My.sln"), "");
        try
        {
            GpuOsSpec.Reports.ResultsFolder.DefaultFor(bin).Should().Be(Path.Combine(root, "gpuosspec-results"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

public class AtLeastFormTests
{
    [Fact]
    public void Mappings_and_collections_have_at_least_forms_that_can_fail()
    {
        var trace = new Traces().Mapping(1_500_000).Runtime(1_600_000, RuntimeEventKind.GarbageCollection, "GC/Start", "gen 0").Build();

        trace.Phase("steady").Should().HaveAtLeastMappingChanges(1).And.HaveAtLeastGarbageCollections(1);
        var mappings = () => trace.Phase("steady").Should().HaveAtLeastMappingChanges(2);
        var collections = () => trace.Phase("steady").Should().HaveAtLeastGarbageCollections(2);
        var unrecorded = () => new Traces().Build().Phase("steady").Should().HaveAtLeastGarbageCollections(1);

        mappings.Should().Throw<XunitException>().WithMessage("Expected * to change at least 2 memory mappings, but found 1*");
        collections.Should().Throw<XunitException>().WithMessage("Expected * to have at least 2 garbage collections, but found 1*");
        unrecorded.Should().Throw<XunitException>().WithMessage("*inconclusive*runtime events were not recorded*");
    }
}
