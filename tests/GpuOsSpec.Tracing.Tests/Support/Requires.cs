using GpuOsSpec.Tracing.Capture.PerfEvents;
using GpuOsSpec.Tracing.Capture.Strace;

namespace GpuOsSpec.Tracing.Tests.Support;

/// <summary>
/// Skips a test whose capture source this machine does not permit, with the reason and the fix. When
/// GPUOSSPEC_REQUIRE names the source (as CI does), the test fails instead, so a runner that lost its permissions
/// cannot pass by skipping.
/// </summary>
public static class Requires
{
    public static void Perf() => Source(new PerfEventSource().Check());

    public static void Strace() => Source(new StraceSource().Check());

    private static void Source(GpuOsSpec.Tracing.Capture.CapabilityCheck check)
    {
        if (check.Available)
        {
            return;
        }
        string reason = $"{check.SourceId} is unavailable: {check.Missing}. Fix: {check.Fix}.";
        if (GpuOsSpec.Workloads.Requirements.RequiredItems.Current.Contains(check.SourceId))
        {
            throw new InvalidOperationException($"{GpuOsSpec.Workloads.Requirements.RequiredItems.Variable} names {check.SourceId}, but {reason}");
        }
        Skip.If(true, reason);
    }
}
