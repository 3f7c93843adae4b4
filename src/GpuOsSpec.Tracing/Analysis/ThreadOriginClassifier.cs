using System.Text.RegularExpressions;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Analysis;

/// <summary>
/// Labels threads by origin. In order: the tracer's own threads; threads that ran phase code (workload); threads the
/// caller knows a GPU runtime started; threads named
/// like a GPU runtime's (cuda*, pocl*, hip*, ...); threads the workload or a GPU runtime created during the capture that
/// kept the name they inherited (native runtime threads); .NET runtime threads (".NET …"); the rest is
/// <paramref name="fallback"/>.
/// </summary>
internal sealed partial class ThreadOriginClassifier(IReadOnlySet<int> tracerTids, IReadOnlySet<int> workloadTids, ThreadOrigin fallback, IReadOnlySet<int>? runtimeTids = null)
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
        if (runtimeTids is not null && runtimeTids.Contains(tid))
        {
            return ThreadOrigin.GpuRuntime;
        }
        if (GpuRuntimeName().IsMatch(name))
        {
            return ThreadOrigin.GpuRuntime;
        }
        if (parentTid.HasValue && parentOrigin is ThreadOrigin.Workload or ThreadOrigin.GpuRuntime && name == parentName)
        {
            // A thread inherits its creator's comm; a native runtime thread that never renamed itself keeps it.
            return fallback == ThreadOrigin.Workload ? ThreadOrigin.Workload : ThreadOrigin.GpuRuntime;
        }
        if (name.StartsWith(".NET ", StringComparison.Ordinal) || name is "dotnet-diagnost" or ".NET SigHandler")
        {
            return ThreadOrigin.DotNetRuntime;
        }
        return fallback;
    }

    [GeneratedRegex("^(cuda|nvidia|NV|pocl|hip|HIP|hsa|rocr|ROCr|amdgpu|level_zero|ze_|cpubackend)", RegexOptions.CultureInvariant)]
    private static partial Regex GpuRuntimeName();
}
