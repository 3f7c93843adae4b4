using GpuOsSpec.Tracing.Analysis;
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

    [Fact]
    public void The_callers_own_runtime_threads_stay_in_the_default_view()
    {
        s_classifier.Classify(3, "dotnet", null, null, null).Should().Be(ThreadOrigin.GpuRuntime);
        s_classifier.Classify(6, "cuda-EvtHandlr", null, null, null).Should().Be(ThreadOrigin.GpuRuntime);
        ThreadOrigin.Default.HasFlag(ThreadOrigin.Foreign).Should().BeFalse("foreign threads are out of the default view");
        ThreadOrigin.All.HasFlag(ThreadOrigin.Foreign).Should().BeTrue("All still shows them");
    }

    // libgpuos starts its watcher once per process, so a capture that begins later finds it with no parent it saw: were it
    // unlabelled, the eventfd writes it makes for every handed-out completion would fall out of the default view.
    [Fact]
    public void The_gpuos_watcher_thread_found_without_its_parent_is_a_runtime_thread() =>
        s_classifier.Classify(7, "gpuos-watch", null, null, null).Should().Be(ThreadOrigin.GpuRuntime);
}
