using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Workloads.Catalogue;
using GpuOsSpec.Workloads.Tests.Support;

namespace GpuOsSpec.Workloads.Tests.Catalogue;

public class CatalogueTests
{
    public static TheoryData<string, string, ExecutionPath> EveryWorkloadOnEveryBackend()
    {
        var data = new TheoryData<string, string, ExecutionPath>();
        foreach (var w in WorkloadCatalogue.All)
        {
            foreach (string b in RequireBackend.AllTargets().Where(t => t != "hip"))
            {
                data.Add(w.Name, b, ExecutionPath.Native);
                data.Add(w.Name, b, ExecutionPath.GpuOs);
            }
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(EveryWorkloadOnEveryBackend))]
    public void Every_workload_runs_its_smoke_settings_and_passes_its_checks(string workload, string backend, ExecutionPath via)
    {
        var (b, device) = RequireBackend.Target(backend);
        var w = WorkloadCatalogue.Get(workload);

        var result = WorkloadRunner.Run(w, b, WorkloadSettings.Resolve(w, new Dictionary<string, string>(), smoke: true), deviceIndex: device, execution: via);

        result.Execution.Should().Be(via);
        if (workload == "graph-launch" && via == ExecutionPath.GpuOs)
        {
            result.NotSupported.Should().Contain("graph-launch through gpuos is not built");
            return;
        }
        if (workload == "graph-launch" && backend != "cuda")
        {
            result.NotSupported.Should().Contain("needs graphs (CUDA)");
            return;
        }
        result.Error.Should().BeNull();
        result.Checks.Should().NotBeEmpty().And.OnlyContain(c => c.Passed);
        result.Phases.Select(p => p.Path).Should().Contain(new[] { "setup", "steady", "teardown" });
    }

    [Fact]
    public void Workload_names_are_unique_and_each_has_defaults_that_validate()
    {
        WorkloadCatalogue.All.Select(w => w.Name).Should().OnlyHaveUniqueItems();
        foreach (var w in WorkloadCatalogue.All)
        {
            w.Parameters.Should().OnlyContain(p => p.Validate(p.Default) == null && p.Validate(p.Smoke) == null, w.Name);
        }
    }

    [Fact]
    public void An_unknown_workload_lists_the_valid_ones()
    {
        var act = () => WorkloadCatalogue.Get("launchstorm");

        act.Should().Throw<ArgumentException>().WithMessage("Unknown workload \"launchstorm\". Valid workloads: launch-storm, sync-cadence,*");
    }

    [Fact]
    public void An_unknown_parameter_lists_the_workloads_parameters()
    {
        var act = () => WorkloadSettings.Resolve(WorkloadCatalogue.Get("launch-storm"), new Dictionary<string, string> { ["count"] = "5" }, false);

        act.Should().Throw<ArgumentException>().WithMessage("The workload launch-storm has no parameter \"count\". Its parameters: launches (int, default 10000), sync (auto|spin|yield|blocking, default auto).");
    }

    [Theory]
    [InlineData("launches", "0", "launches must be a positive integer, not \"0\"")]
    [InlineData("launches", "many", "launches must be a positive integer, not \"many\"")]
    [InlineData("sync", "fast", "sync must be one of auto, spin, yield, blocking, not \"fast\"")]
    public void A_bad_value_says_what_is_valid(string name, string value, string message)
    {
        var act = () => WorkloadSettings.Resolve(WorkloadCatalogue.Get("launch-storm"), new Dictionary<string, string> { [name] = value }, false);

        act.Should().Throw<ArgumentException>().WithMessage($"launch-storm: {message}.");
    }

    [Fact]
    public void Smoke_settings_replace_the_defaults_and_sets_override_both()
    {
        var settings = WorkloadSettings.Resolve(WorkloadCatalogue.Get("launch-storm"), new Dictionary<string, string> { ["sync"] = "spin" }, smoke: true);

        settings.Int("launches").Should().Be(1_000);
        settings.Sync.Should().Be(SyncMode.Spin);
    }

    [Fact]
    public void A_vendor_error_mid_workload_tears_the_context_down_and_names_the_phase()
    {
        var backend = new FailingBackend(failOnLaunch: 50);

        var result = WorkloadRunner.Run(WorkloadCatalogue.Get("launch-storm"), backend,
            WorkloadSettings.Resolve(WorkloadCatalogue.Get("launch-storm"), new Dictionary<string, string>(), smoke: true));

        result.Error.Should().Be("fakeLaunchKernel: FAKE_ERROR_LAUNCH_FAILED");
        result.FailedPhase.Should().Be("steady");
        result.Succeeded.Should().BeFalse();
        backend.Disposed.Should().BeTrue();
    }

    [Fact]
    public void A_hung_run_is_ended_by_the_watchdog_with_a_clear_message()
    {
        string? message = null;
        using var expired = new ManualResetEventSlim();

        using (Watchdog.Start(TimeSpan.FromMilliseconds(100), () => "launch-storm on cuda was in phase steady", m => message = m, expired.Set))
        {
            expired.Wait(TimeSpan.FromSeconds(5)).Should().BeTrue();
        }

        message.Should().Be("gpuosspec: timed out after 0 s: launch-storm on cuda was in phase steady. A kernel may hang or the device is stuck; raise --timeout if the run is just long.");
    }

    [Fact]
    public void A_run_that_finishes_in_time_is_left_alone_even_after_its_deadline_passes()
    {
        using var expired = new ManualResetEventSlim();

        using (Watchdog.Start(TimeSpan.FromMilliseconds(200), () => "", _ => { }, expired.Set))
        {
            Thread.Sleep(20);
        }

        // Past the deadline: a watchdog disposed in time must never fire. 10x margin for a loaded 2-core machine.
        expired.Wait(TimeSpan.FromSeconds(2)).Should().BeFalse();
    }
}
