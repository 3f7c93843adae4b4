namespace GpuOsSpec.Tracing.Platform.ProcFs;

/// <summary>getrusage(RUSAGE_CHILDREN): what reaped children cost, so a command's totals survive its exit.</summary>
internal readonly record struct ChildUsage(long Voluntary, long Involuntary, long MinorFaults, long MajorFaults, long SystemNs, long UserNs)
{
    internal static ChildUsage Now()
    {
        Libc.Getrusage(Libc.RUSAGE_CHILDREN, out var u);
        return new ChildUsage(u.VoluntarySwitches, u.InvoluntarySwitches, u.MinorFaults, u.MajorFaults,
            u.SystemSeconds * 1_000_000_000 + u.SystemMicroseconds * 1000, u.UserSeconds * 1_000_000_000 + u.UserMicroseconds * 1000);
    }

    internal ChildUsage Minus(ChildUsage before) => new(Voluntary - before.Voluntary, Involuntary - before.Involuntary,
        MinorFaults - before.MinorFaults, MajorFaults - before.MajorFaults, SystemNs - before.SystemNs, UserNs - before.UserNs);
}
