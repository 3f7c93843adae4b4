using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Sources.Strace;

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

    /// <summary>Perf with hybrid mode's eBPF (libbpf, the kernel's BTF, the embedded object, the capabilities); CI's
    /// "perf" requires both.</summary>
    public static void Hybrid()
    {
        Perf();
        var check = new PerfEventSource().CheckHybrid();
        if (!check.Available)
        {
            Missing("perf", $"{check.SourceId} is unavailable: {check.Missing}. Fix: {check.Fix}.");
        }
    }

    /// <summary>Perf with hybrid mode's phase counter (libbpf, the kernel's BTF, its embedded object, the
    /// capabilities); CI's "perf" requires it.</summary>
    public static void PhaseCounter()
    {
        Perf();
        var check = new PerfEventSource().CheckPhaseCounter();
        if (!check.Available)
        {
            Missing("perf", $"hybrid mode's phase counter is unavailable: {check.Missing}. Fix: {check.Fix}.");
        }
    }

    private static void Source(CapabilityCheck check)
    {
        if (!check.Available)
        {
            Missing(check.SourceId, $"{check.SourceId} is unavailable: {check.Missing}. Fix: {check.Fix}.");
        }
    }

    /// <summary>
    /// Skips a test whose trace is inconclusive, with the trace's reason, or fails when GPUOSSPEC_REQUIRE names perf: a
    /// trace that lost events, or saw a program that drops samples, holds counts that are the machine's doing, and a
    /// count asserted on it would fail (or pass) on nothing.
    /// </summary>
    public static void Conclusive(GpuOsSpec.Tracing.Model.Trace trace)
    {
        if (trace.InconclusiveReason is { } why)
        {
            Missing("perf", $"the trace is inconclusive: {why}");
        }
    }

    /// <summary>Skips with <paramref name="reason"/> for a missing <paramref name="item"/>, or fails when
    /// GPUOSSPEC_REQUIRE names it.</summary>
    public static void Missing(string item, string reason)
    {
        if (GpuOsSpec.Workloads.Requirements.RequiredItems.Current.Contains(item))
        {
            throw new InvalidOperationException($"{GpuOsSpec.Workloads.Requirements.RequiredItems.Variable} names {item}, but {reason}");
        }
        Skip.If(true, reason);
    }
}
