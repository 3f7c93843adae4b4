using GpuOsSpec.Tracing.Checks.Rules;

namespace GpuOsSpec.Tracing.Checks;

/// <summary>The rules `gpuosspec check` runs unless a rules file turns them off: each from a hypothesis or a finding
/// on the H200, with a documented default threshold.</summary>
public static class CheckRules
{
    /// <summary>Every built-in rule, in the order a check reports them.</summary>
    public static IReadOnlyList<ICheckRule> BuiltIn { get; } =
    [
        new SteadyNoIoctl(),
        new SteadyNoMapping(),
        new SteadyNoFileOpen(),
        new SteadyNoThreadStart(),
        new SteadyNoAllocationChurn(),
        new SteadyPageFaults(),
        new NoSchedYieldStorm(),
        new NoSwitchStorm(),
        new SyscallsPerLaunch(),
        new SyscallsPerWait(),
        new WaitsPark(),
    ];
}
