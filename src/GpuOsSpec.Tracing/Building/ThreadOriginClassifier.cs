using System.Text.RegularExpressions;

namespace GpuOsSpec.Tracing.Building;

/// <summary>
/// Labels threads by origin. In order: the tracer's own threads; threads that ran phase code (workload); GPU runtime
/// threads the caller says are another user's, and their children (foreign); threads the caller knows a GPU runtime
/// started and threads named like a GPU runtime's (cuda*, pocl*, hip*, ..., and libgpuos's gpuos-watch), unless, in a
/// shared process, a thread outside the default view started them during the capture (foreign); threads a GPU runtime
/// thread created that kept its name; threads a workload thread created during the capture, which are workload threads
/// (a spec's own workers) unless they are the .NET runtime's own; .NET runtime threads (".NET …"); the rest is
/// <paramref name="fallback"/>.
/// </summary>
/// <remarks>
/// A native runtime thread that a vendor call starts on a workload thread inherits that thread's name. The fixtures
/// learn those from the vendor calls that start them (discovery, context creation) and pass them as
/// <paramref name="runtimeTids"/>; one started by a later vendor call, unnamed, counts as workload. Both origins are in
/// the default view, so only a view limited to one origin tells them apart.
/// <para>
/// In a shared process (an in-process trace: other tests run beside the workload), a thread started during the capture
/// belongs with the thread that started it. Another test that creates a context or a stream while this capture runs
/// starts runtime threads from a thread of its own, which is not in the default view; named like a runtime's, they are
/// still not the workload's. Their creator is known from the capture, so this needs no list from the caller, and no
/// list can be late; nor can a list that took them by mistake (a discovery's window, open while they started) make them
/// this trace's. A command's threads are all its own, so there the name decides.
/// </para>
/// </remarks>
internal sealed partial class ThreadOriginClassifier(IReadOnlySet<int> tracerTids, IReadOnlySet<int> workloadTids, ThreadOrigin fallback,
    IReadOnlySet<int>? runtimeTids = null, IReadOnlySet<int>? foreignRuntimeTids = null, bool sharedProcess = false)
{
    internal ThreadOrigin Classify(int tid, string name, int? parentTid, string? parentName, ThreadOrigin? parentOrigin)
    {
        if (tracerTids.Contains(tid))
        {
            return ThreadOrigin.Tracer;
        }
        if (workloadTids.Contains(tid))
        {
            return ThreadOrigin.Workload;
        }
        // GPU runtime threads the caller says are another user's, and the threads they start, whatever their names.
        if ((foreignRuntimeTids is not null && foreignRuntimeTids.Contains(tid)) || parentOrigin == ThreadOrigin.Foreign)
        {
            return ThreadOrigin.Foreign;
        }
        // A listed thread too: the caller's list is partly learned from windows of time (a discovery watching for the
        // threads that appear while it runs), which also take the threads other code starts meanwhile. Who started a
        // thread during the capture is seen, so it decides.
        if ((runtimeTids is not null && runtimeTids.Contains(tid)) || GpuRuntimeName().IsMatch(name))
        {
            // parentTid is known only for a thread started during the capture.
            bool startedByAnother = sharedProcess && parentTid.HasValue && parentOrigin is { } creator && (creator & ThreadOrigin.Default) == 0;
            return startedByAnother ? ThreadOrigin.Foreign : ThreadOrigin.GpuRuntime;
        }
        if (parentTid.HasValue && parentOrigin == ThreadOrigin.GpuRuntime && name == parentName)
        {
            // A thread inherits its creator's comm; a native runtime thread that never renamed itself keeps it.
            return ThreadOrigin.GpuRuntime;
        }
        if (parentTid.HasValue && parentOrigin == ThreadOrigin.Workload && !IsDotNetRuntimeOwn(name))
        {
            return ThreadOrigin.Workload;
        }
        if (name.StartsWith(".NET ", StringComparison.Ordinal) || name is "dotnet-diagnost")
        {
            return ThreadOrigin.DotNetRuntime;
        }
        return fallback;
    }

    // The runtime's own service threads. Thread-pool workers and long-running tasks run the code that queued them.
    private static bool IsDotNetRuntimeOwn(string name) =>
        (name.StartsWith(".NET ", StringComparison.Ordinal) || name == "dotnet-diagnost")
        && !name.StartsWith(".NET TP Worker", StringComparison.Ordinal) && !name.StartsWith(".NET Long Run", StringComparison.Ordinal);

    // gpuos-watch: libgpuos's one thread per process that waits on completions handed out as fds, started once and
    // outliving any one capture.
    [GeneratedRegex("^(cuda|nvidia|NV|pocl|hip|HIP|hsa|rocr|ROCr|amdgpu|level_zero|ze_|cpubackend|gpuos-watch)", RegexOptions.CultureInvariant)]
    private static partial Regex GpuRuntimeName();
}
