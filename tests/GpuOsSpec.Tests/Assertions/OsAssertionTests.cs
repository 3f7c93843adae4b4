using GpuOsSpec.Assertions;
using GpuOsSpec.Capture;
using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Model;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Assertions;

public class OsAssertionTests
{
    private static readonly Trace s_trace = new Traces()
        .Switch(100_000, voluntary: true)
        .Switch(1_100_000, voluntary: true)
        .Switch(1_200_000, voluntary: false, Traces.GpuThread)
        .Fault(1_300_000)
        .Fault(1_400_000, major: true)
        .Mapping(1_500_000)
        .Runtime(1_600_000, RuntimeEventKind.GarbageCollection, "GC/Start", "gen 0, AllocSmall")
        .Runtime(500_000, RuntimeEventKind.Jit, "Method/JittingStarted", "Spec.Run")
        .Build();

    private static TraceView Steady => s_trace.Phase("steady");

    private static TraceView Setup => s_trace.Phase("setup");

    [Fact]
    public void No_context_switches_passes_on_a_quiet_phase_and_fails_with_the_switches()
    {
        new Traces().Switch(100_000, true).Build().Phase("steady").Should().HaveNoContextSwitches();

        var act = () => Steady.Should().HaveNoContextSwitches("spin sync never parks the thread");

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no context switches because spin sync never parks the thread, but found 2 (1 voluntary, 1 involuntary): blocked at +0.100 ms (tid 100 testhost [Workload]); preempted at +0.200 ms (tid 101 cuda-EvtHandlr [GpuRuntime]).*");
    }

    [Fact]
    public void At_most_context_switches_counts_both_kinds()
    {
        Steady.Should().HaveAtMostContextSwitches(2);

        var act = () => Steady.Should().HaveAtMostContextSwitches(1);

        act.Should().Throw<XunitException>().WithMessage("Expected * to have at most 1 context switches, but found 2 (1 voluntary, 1 involuntary)*");
    }

    [Fact]
    public void Voluntary_switches_are_bounded_both_ways()
    {
        Steady.Should().HaveAtLeastVoluntarySwitches(1).And.HaveAtMostVoluntarySwitches(1);

        var act = () => Steady.Should().HaveAtLeastVoluntarySwitches(20, "blocking sync parks the thread once per sync");

        act.Should().Throw<XunitException>().WithMessage("Expected * to have at least 20 voluntary context switches because blocking sync parks the thread once per sync, but found 1 (1 voluntary, 1 involuntary): blocked at +0.100 ms*");
    }

    [Fact]
    public void At_most_voluntary_switches_fails_over_the_bound()
    {
        var act = () => Steady.Should().HaveAtMostVoluntarySwitches(0);

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no voluntary context switches, but found 1*");
    }

    [Fact]
    public void Involuntary_switches_are_bounded()
    {
        Steady.Should().HaveAtMostInvoluntarySwitches(1);

        var act = () => Steady.Should().HaveAtMostInvoluntarySwitches(0);

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no involuntary context switches, but found 1 (1 voluntary, 1 involuntary): preempted at +0.200 ms*");
    }

    [Fact]
    public void Page_faults_are_bounded_both_ways()
    {
        Steady.Should().HaveAtLeastPageFaults(2).And.HaveAtMostPageFaults(2);

        var act = () => Steady.Should().HaveAtMostPageFaults(1, "pinned copies fault nothing");

        act.Should().Throw<XunitException>().WithMessage("Expected * to have at most 1 page faults because pinned copies fault nothing, but found 2 (1 minor, 1 major): minor fault at 0x7f0000001000 at +0.300 ms*");
    }

    [Fact]
    public void At_least_page_faults_fails_when_short()
    {
        var act = () => Setup.Should().HaveAtLeastPageFaults(1, "pageable copies fault on first touch");

        act.Should().Throw<XunitException>().WithMessage("Expected * to have at least 1 page faults because pageable copies fault on first touch, but found 0 (0 minor, 0 major): none.*");
    }

    [Fact]
    public void Major_faults_are_refused()
    {
        Setup.Should().HaveNoMajorPageFaults();

        var act = () => Steady.Should().HaveNoMajorPageFaults();

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no major page faults, but found 1 (1 minor, 1 major): major fault at*");
    }

    [Fact]
    public void Mapping_changes_are_refused_with_the_first_ones()
    {
        Setup.Should().HaveNoMappingChanges();

        var act = () => Steady.Should().HaveNoMappingChanges("device mappings appear only during setup");

        act.Should().Throw<XunitException>().WithMessage("Expected * to change no memory mapping because device mappings appear only during setup, but found 1: map 0x7f0000000000 (4,096 bytes) at +0.500 ms (tid 100 testhost [Workload]).*");
    }

    [Fact]
    public void Garbage_collections_are_refused_with_the_gc_reason()
    {
        Setup.Should().HaveNoGarbageCollections();

        var act = () => Steady.Should().HaveNoGarbageCollections("a launch storm allocates nothing");

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no garbage collections because a launch storm allocates nothing, but found 1: GC/Start (gen 0, AllocSmall) at +0.600 ms*");
    }

    [Fact]
    public void Jit_compilations_are_refused_with_the_method()
    {
        Steady.Should().HaveNoJitCompilations();

        var act = () => Setup.Should().HaveNoJitCompilations();

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no JIT compilations, but found 1: Method/JittingStarted (Spec.Run) at +0.500 ms*");
    }

    [Fact]
    public void Runtime_assertions_without_runtime_events_are_inconclusive_and_say_how_to_record_them()
    {
        var act = () => new Traces().Build().Should().HaveNoGarbageCollections();

        act.Should().Throw<XunitException>().WithMessage("Expected * to have no garbage collections, but the result is inconclusive: .NET runtime events were not recorded; start the trace with GpuSpec.Trace(runtimeEvents: true).*");
    }

    [Fact]
    public void Thread_starts_outside_the_phase_do_not_count()
    {
        Setup.Should().StartNoThreads("cuda-EvtHandlr started at 1.5 ms, in steady");
    }

    [Fact]
    public void Thread_starts_are_refused_with_the_threads()
    {
        var act = () => Steady.Should().StartNoThreads("the steady phase starts no runtime thread");

        act.Should().Throw<XunitException>().WithMessage("Expected * to start no thread because the steady phase starts no runtime thread, but found 1: tid 101 cuda-EvtHandlr [GpuRuntime].*");
    }

    [Fact]
    public void Thread_starts_from_a_source_that_cannot_see_them_are_inconclusive()
    {
        var act = () => new Traces().Build(source: GpuOsSpec.Tracing.Model.CaptureSourceKind.Strace).Should().StartNoThreads();

        act.Should().Throw<XunitException>().WithMessage("*inconclusive: thread creation times are recorded by the perf source only, and this trace came from strace*");
    }

    [Fact]
    public void Device_mapping_changes_are_refused_and_required_with_the_mappings()
    {
        var withDevice = new Traces().Mapping(1_200_000, device: "/dev/nvidia0", address: 0x7f1000000000).Build();

        withDevice.Phase("setup").Should().HaveNoDeviceMappingChanges();
        withDevice.Phase("steady").Should().HaveAtLeastDeviceMappingChanges(1);
        var act = () => withDevice.Phase("steady").Should().HaveNoDeviceMappingChanges("launching maps nothing new");
        act.Should().Throw<XunitException>().WithMessage("Expected * to change no device mapping because launching maps nothing new, but found 1: map /dev/nvidia0 0x7f1000000000 (4,096 bytes) at +0.200 ms (tid 100 testhost [Workload]).*");
        var none = () => withDevice.Phase("setup").Should().HaveAtLeastDeviceMappingChanges(1, "a context maps its doorbells");
        none.Should().Throw<XunitException>().WithMessage("Expected * to change at least 1 device mappings because a context maps its doorbells, but found 0: none.*");
    }

    [Fact]
    public void Thread_starts_can_be_required()
    {
        Steady.Should().StartAtLeastThreads(1);

        var act = () => Setup.Should().StartAtLeastThreads(1, "context creation starts runtime threads");

        act.Should().Throw<XunitException>().WithMessage("Expected * to start at least 1 threads because context creation starts runtime threads, but found 0*");
    }

    [Fact]
    public void A_collection_triggered_by_a_thread_outside_the_view_does_not_count_against_it()
    {
        var other = new Traces().Runtime(1_500_000, RuntimeEventKind.GarbageCollection, "GC/Start", "gen 2, AllocLarge", tid: 7111).Build();

        other.Phase("steady").Should().HaveNoGarbageCollections("thread 7111 is not the workload's");
    }
}
