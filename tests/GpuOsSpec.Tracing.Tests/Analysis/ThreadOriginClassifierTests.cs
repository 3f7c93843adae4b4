using GpuOsSpec.Tracing.Building;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Tests.Analysis;

public class ThreadOriginClassifierTests
{
    private static readonly ThreadOriginClassifier s_classifier = new(
        tracerTids: new HashSet<int> { 1 }, workloadTids: new HashSet<int> { 2 }, fallback: ThreadOrigin.None,
        runtimeTids: new HashSet<int> { 3 }, foreignRuntimeTids: new HashSet<int> { 4 });

    [Fact]
    public void Another_users_runtime_thread_is_foreign_though_named_like_a_runtime() =>
        s_classifier.Classify(4, "cpubackend-7", null, null, null).Should().Be(ThreadOrigin.Foreign);

    [Fact]
    public void A_thread_a_foreign_thread_starts_is_foreign_whatever_its_name() =>
        s_classifier.Classify(5, "pocl-worker", 4, "cpubackend-7", ThreadOrigin.Foreign).Should().Be(ThreadOrigin.Foreign);

    // In process, another test that creates a context while this capture runs starts its runtime threads from a thread
    // of its own (a thread-pool worker here), outside the default view: they once counted as this trace's by their
    // names.
    [Fact]
    public void A_runtime_thread_that_a_thread_outside_the_view_starts_in_a_shared_process_is_foreign()
    {
        var inProcess = new ThreadOriginClassifier(new HashSet<int>(), new HashSet<int> { 2 }, ThreadOrigin.None, sharedProcess: true);

        inProcess.Classify(8, "cpubackend-3", 7, ".NET TP Worker", ThreadOrigin.DotNetRuntime).Should().Be(ThreadOrigin.Foreign);
        inProcess.Classify(9, "cuda-EvtHandlr", 6, "other-class", ThreadOrigin.None).Should().Be(ThreadOrigin.Foreign);
    }

    // The caller's list of runtime threads is partly learned from windows of time (a discovery watching for the threads
    // that appear while it runs), and such a window also takes the threads that other code starts meanwhile: another
    // test's new runtime thread, listed so, once counted as this trace's. Who started it, seen by the capture, is
    // surer.
    [Fact]
    public void A_listed_runtime_thread_that_a_thread_outside_the_view_starts_in_a_shared_process_is_foreign()
    {
        var inProcess = new ThreadOriginClassifier(new HashSet<int>(), new HashSet<int> { 2 }, ThreadOrigin.None, runtimeTids: new HashSet<int> { 8, 9 },
            sharedProcess: true);

        inProcess.Classify(8, "cpubackend-1", 6, "other-class", ThreadOrigin.None).Should().Be(ThreadOrigin.Foreign);
        inProcess.Classify(9, "other-class", 6, "other-class", ThreadOrigin.None).Should().Be(ThreadOrigin.Foreign);
    }

    [Fact]
    public void A_listed_runtime_thread_that_the_workload_starts_or_that_was_there_before_the_capture_is_the_runtimes()
    {
        var inProcess = new ThreadOriginClassifier(new HashSet<int>(), new HashSet<int> { 2 }, ThreadOrigin.None, runtimeTids: new HashSet<int> { 8, 9 },
            sharedProcess: true);

        inProcess.Classify(8, "dotnet", 2, "dotnet", ThreadOrigin.Workload).Should().Be(ThreadOrigin.GpuRuntime);
        inProcess.Classify(9, "dotnet", null, null, null).Should().Be(ThreadOrigin.GpuRuntime);
    }

    [Fact]
    public void A_runtime_thread_that_the_workload_or_the_runtime_starts_during_the_capture_is_the_runtimes()
    {
        var inProcess = new ThreadOriginClassifier(new HashSet<int>(), new HashSet<int> { 2 }, ThreadOrigin.None, sharedProcess: true);

        inProcess.Classify(8, "cpubackend-3", 2, ".NET TP Worker", ThreadOrigin.Workload).Should().Be(ThreadOrigin.GpuRuntime);
        inProcess.Classify(9, "cuda-EvtHandlr", 3, "cuda00001400006", ThreadOrigin.GpuRuntime).Should().Be(ThreadOrigin.GpuRuntime);
    }

    [Fact]
    public void A_commands_runtime_thread_is_the_runtimes_whichever_of_its_threads_started_it()
    {
        var command = new ThreadOriginClassifier(new HashSet<int>(), new HashSet<int>(), ThreadOrigin.Workload);

        command.Classify(8, "cuda-EvtHandlr", 7, ".NET TP Worker", ThreadOrigin.DotNetRuntime).Should().Be(ThreadOrigin.GpuRuntime);
    }

    [Fact]
    public void The_callers_own_runtime_threads_stay_in_the_default_view()
    {
        s_classifier.Classify(3, "dotnet", null, null, null).Should().Be(ThreadOrigin.GpuRuntime);
        s_classifier.Classify(6, "cuda-EvtHandlr", null, null, null).Should().Be(ThreadOrigin.GpuRuntime);
        ThreadOrigin.Default.HasFlag(ThreadOrigin.Foreign).Should().BeFalse("foreign threads are out of the default view");
        ThreadOrigin.All.HasFlag(ThreadOrigin.Foreign).Should().BeTrue("All still shows them");
    }

    // libgpuos starts its watcher once per process, so a capture that begins later finds it with no parent it saw: were
    // it unlabelled, the eventfd writes it makes for every handed-out completion would fall out of the default view.
    [Fact]
    public void The_gpuos_watcher_thread_found_without_its_parent_is_a_runtime_thread() =>
        s_classifier.Classify(7, "gpuos-watch", null, null, null).Should().Be(ThreadOrigin.GpuRuntime);
}
